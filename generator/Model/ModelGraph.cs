using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace ModelGen.Generator.Model;

/// <summary>
/// Graph facts derived from a valid <see cref="ModelSpec"/>: evaluation order, the heads, and for each subset
/// of heads which nodes it reaches and which need a gradient. The parser has already rejected unknown names
/// and cycles, so every lookup here succeeds.
/// </summary>
internal sealed class ModelGraph
{
    private readonly Dictionary<string, LayerSpec> _byName;
    private readonly Dictionary<string, List<LayerSpec>> _consumers;

    public ModelGraph(ModelSpec model)
    {
        Model = model;
        _byName = model.Layers.ToDictionary(l => l.Name);
        _consumers = model.Layers.ToDictionary(l => l.Name, _ => new List<LayerSpec>());
        foreach (LayerSpec layer in model.Layers)
        {
            foreach (string source in layer.Sources.Distinct())
            {
                _consumers[source].Add(layer);
            }
        }

        Order = TopologicalOrder(model.Layers.AsImmutableArray(), _byName);
        Heads = model.Layers.Where(l => l.Head is not null).ToImmutableArray();
        Outputs = model.Layers.Where(l => l.Head is not null || l.IsOutput).ToImmutableArray();
        Inputs = model.Layers.Where(l => l.Kind == LayerKind.Input).ToImmutableArray();
    }

    public ModelSpec Model { get; }

    /// <summary>Every node, sources before consumers, ties broken by declaration order.</summary>
    public ImmutableArray<LayerSpec> Order { get; }

    /// <summary>Layers with a <c>[Head]</c>, in declaration order.</summary>
    public ImmutableArray<LayerSpec> Heads { get; }

    /// <summary>Layers that <c>Predict</c> returns (heads and <c>[Output]</c> layers), in declaration order.</summary>
    public ImmutableArray<LayerSpec> Outputs { get; }

    /// <summary>Inputs in declaration order.</summary>
    public ImmutableArray<LayerSpec> Inputs { get; }

    public ImmutableArray<LayerSpec> DenseLayers => Model.Layers.Where(l => l.Kind == LayerKind.Dense).ToImmutableArray();

    public LayerSpec this[string name] => _byName[name];

    /// <summary>The heads and every node they read from, directly or not.</summary>
    public ImmutableHashSet<string> Reach(IEnumerable<LayerSpec> heads)
    {
        var reached = new HashSet<string>();
        var pending = new Stack<string>(heads.Select(h => h.Name));
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (reached.Add(name))
            {
                foreach (string source in _byName[name].Sources)
                {
                    pending.Push(source);
                }
            }
        }

        return reached.ToImmutableHashSet();
    }

    /// <summary>
    /// The heads and every node their gradient reaches: the traversal of <see cref="Reach"/> that does not
    /// cross stop-gradient edges. Dense layers in this set are the ones a training call can update.
    /// </summary>
    public ImmutableHashSet<string> GradientReach(IEnumerable<LayerSpec> heads)
    {
        var reached = new HashSet<string>();
        var pending = new Stack<string>(heads.Select(h => h.Name));
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (reached.Add(name))
            {
                LayerSpec layer = _byName[name];
                foreach (string source in layer.Sources.Where(s => !layer.StoppedSources.Contains(s)))
                {
                    pending.Push(source);
                }
            }
        }

        return reached.ToImmutableHashSet();
    }

    /// <summary>Whether back-propagation runs from <paramref name="consumer"/> into <paramref name="source"/>.</summary>
    public bool CarriesGradient(LayerSpec consumer, LayerSpec source) =>
        !consumer.StoppedSources.Contains(source.Name) && NeedsGradient(source);

    /// <summary>Nodes of <paramref name="reached"/> in evaluation order.</summary>
    public ImmutableArray<LayerSpec> InOrder(ImmutableHashSet<string> reached) =>
        Order.Where(l => reached.Contains(l.Name)).ToImmutableArray();

    /// <summary>Inputs of <paramref name="reached"/> in declaration order.</summary>
    public ImmutableArray<LayerSpec> InputsOf(ImmutableHashSet<string> reached) =>
        Inputs.Where(l => reached.Contains(l.Name)).ToImmutableArray();

    /// <summary>Consumers of <paramref name="layer"/> within <paramref name="reached"/>.</summary>
    public IEnumerable<LayerSpec> ConsumersOf(LayerSpec layer, ImmutableHashSet<string> reached) =>
        _consumers[layer.Name].Where(c => reached.Contains(c.Name));

    /// <summary>
    /// Whether back-propagation must compute the gradient with respect to this node's output: true for dense
    /// layers (they own parameters) and for parameter-free layers that read, directly or not and through edges
    /// that carry gradients, from one. Inputs never need it.
    /// </summary>
    public bool NeedsGradient(LayerSpec layer) => layer.Kind switch
    {
        LayerKind.Input => false,
        LayerKind.Dense => true,
        _ => layer.Sources.Any(s => !layer.StoppedSources.Contains(s) && NeedsGradient(_byName[s])),
    };

    /// <summary>Whether the layer keeps its pre-activation values: fused heads read them as logits, GELU's derivative needs them.</summary>
    public static bool KeepsPreActivation(LayerSpec layer) => IsFused(layer) || layer.Activation == ActivationKind.Gelu;

    /// <summary>
    /// Whether the head's loss is computed from the pre-activation values and writes their gradient directly
    /// (sigmoid with binary cross-entropy, softmax with either categorical cross-entropy).
    /// </summary>
    public static bool IsFused(LayerSpec layer) => layer.Head is { } head && layer.Kind == LayerKind.Dense &&
        ((head.Loss == LossKind.BinaryCrossEntropy && layer.Activation == ActivationKind.Sigmoid) ||
         (head.Loss is LossKind.SparseCategoricalCrossEntropy or LossKind.CategoricalCrossEntropy && layer.Activation == ActivationKind.Softmax));

    /// <summary>Every non-empty subset of heads, ordered by size and then by declaration order.</summary>
    public ImmutableArray<ImmutableArray<LayerSpec>> HeadSubsets()
    {
        int n = Heads.Length;
        var subsets = new List<ImmutableArray<LayerSpec>>();
        for (int mask = 1; mask < (1 << n); mask++)
        {
            subsets.Add(Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).Select(i => Heads[i]).ToImmutableArray());
        }

        return subsets
            .OrderBy(s => s.Length)
            .ThenBy(s => string.Join(",", s.Select(h => Heads.IndexOf(h).ToString("D3", System.Globalization.CultureInfo.InvariantCulture))), System.StringComparer.Ordinal)
            .ToImmutableArray();
    }

    private static ImmutableArray<LayerSpec> TopologicalOrder(ImmutableArray<LayerSpec> layers, Dictionary<string, LayerSpec> byName)
    {
        // Depth-first from each node in declaration order, so the output follows the declaration wherever
        // the dependencies allow it.
        var order = new List<LayerSpec>();
        var done = new HashSet<string>();
        void Visit(LayerSpec layer)
        {
            if (!done.Add(layer.Name))
            {
                return;
            }

            foreach (string source in layer.Sources)
            {
                Visit(byName[source]);
            }

            order.Add(layer);
        }

        foreach (LayerSpec layer in layers)
        {
            Visit(layer);
        }

        return order.ToImmutableArray();
    }
}
