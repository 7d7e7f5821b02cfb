using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

public sealed partial class ModelGenerator
{
    private sealed partial class Parser
    {
        /// <summary>
        /// Runs the checks that need every layer: inputs and heads exist, names resolve, no cycle, sizes fit,
        /// losses suit their heads, every layer reaches a head. Returns the layers in declaration order with the
        /// sizes of merge layers filled in, or <see langword="null"/> when the graph itself is unsound.
        /// </summary>
        private List<LayerSpec>? CheckGraph()
        {
            LocationInfo? classLocation = LocationInfo.From(_declaration.Identifier.GetLocation());
            if (!_declaresInput)
            {
                Report(DiagnosticDescriptors.NoInput, classLocation, _type.Name);
            }

            if (_declaredHeads.Count == 0 && !_layers.Any(l => l.IsOutput))
            {
                Report(DiagnosticDescriptors.NoHead, classLocation, _type.Name);
            }

            // Unknown names, with the closest known name as a suggestion. A name that refers to a layer that failed
            // to read is not unknown; its own diagnostic has been reported.
            bool complete = true;
            var known = new HashSet<string>(_layers.Select(l => l.Name));
            foreach (LayerSpec layer in _layers)
            {
                foreach (string source in layer.Sources.Distinct().Where(s => !known.Contains(s)))
                {
                    complete = false;
                    if (!_declaredLayers.Contains(source))
                    {
                        string? closest = Closest(source, _declaredLayers.Where(n => n != layer.Name));
                        Report(DiagnosticDescriptors.UnknownSource, SourceLocation(layer, source), layer.Name, source, _type.Name, closest is null ? string.Empty : $"; did you mean '{closest}'?");
                    }
                }
            }

            if (!complete)
            {
                return null;
            }

            List<LayerSpec>? order = TopologicalOrder(out List<string>? cycle);
            if (order is null)
            {
                // cycle[0] reads cycle[^2]: report where the first layer of the cycle names its source.
                LayerSpec first = _layers.First(l => l.Name == cycle![0]);
                Report(DiagnosticDescriptors.Cycle, SourceLocation(first, cycle![cycle.Count - 2]), string.Join(" -> ", cycle));
                return null;
            }

            Dictionary<string, LayerSpec>? byName = ResolveSizes(order);
            if (byName is null)
            {
                return null;
            }

            CheckHeads(order, byName);
            if (!_hasErrors)
            {
                CheckReachability(byName);
            }

            return _layers.Select(l => byName[l.Name]).ToList();
        }

        /// <summary>
        /// Orders the layers sources first (Kahn's algorithm, so deep graphs cannot overflow the stack). Returns
        /// <see langword="null"/> and one cycle, in data-flow order with its first layer repeated at the end, when
        /// the layers are not acyclic.
        /// </summary>
        private List<LayerSpec>? TopologicalOrder(out List<string>? cycle)
        {
            cycle = null;
            var byName = _layers.ToDictionary(l => l.Name);
            var pendingSources = _layers.ToDictionary(l => l.Name, l => l.Sources.Distinct().Count());
            var consumers = _layers.ToDictionary(l => l.Name, _ => new List<string>());
            foreach (LayerSpec layer in _layers)
            {
                foreach (string source in layer.Sources.Distinct())
                {
                    consumers[source].Add(layer.Name);
                }
            }

            var ready = new Queue<string>(_layers.Where(l => pendingSources[l.Name] == 0).Select(l => l.Name));
            var order = new List<LayerSpec>();
            while (ready.Count > 0)
            {
                string name = ready.Dequeue();
                order.Add(byName[name]);
                foreach (string consumer in consumers[name])
                {
                    if (--pendingSources[consumer] == 0)
                    {
                        ready.Enqueue(consumer);
                    }
                }
            }

            if (order.Count == _layers.Count)
            {
                return order;
            }

            // Every layer left over has a source that is left over too, so walking from consumer to source among
            // them must come back to a layer already seen.
            var left = new HashSet<string>(_layers.Where(l => pendingSources[l.Name] > 0).Select(l => l.Name));
            var path = new List<string>();
            var seen = new Dictionary<string, int>();
            string current = _layers.First(l => left.Contains(l.Name)).Name;
            while (!seen.ContainsKey(current))
            {
                seen[current] = path.Count;
                path.Add(current);
                current = byName[current].Sources.First(left.Contains);
            }

            cycle = path.Skip(seen[current]).Append(current).Reverse().ToList();
            return null;
        }

        /// <summary>
        /// Fills in the sizes of merge layers in evaluation order and checks that every layer fits in .NET arrays.
        /// Returns the resolved layers by name, or <see langword="null"/> when one is too large.
        /// </summary>
        private Dictionary<string, LayerSpec>? ResolveSizes(List<LayerSpec> order)
        {
            var resolved = new Dictionary<string, LayerSpec>();
            bool fits = true;
            foreach (LayerSpec layer in order)
            {
                LayerSpec result = layer;
                if (layer.Kind == LayerKind.Concatenate)
                {
                    long size = layer.Sources.Sum(s => (long)resolved[s].Size);
                    if (size > MaxArrayLength)
                    {
                        ReportTooLarge(layer.Name, size, "per sample");
                        fits = false;
                        size = MaxArrayLength;
                    }

                    result = layer with { Size = (int)size };
                }
                else if (layer.Kind is LayerKind.Add or LayerKind.Dropout)
                {
                    result = layer with { Size = resolved[layer.Sources[0]].Size };
                }
                else if (layer.Kind == LayerKind.Dense)
                {
                    long weights = (long)layer.Size * resolved[layer.Sources[0]].Size;
                    if (weights > MaxArrayLength)
                    {
                        ReportTooLarge(layer.Name, weights, "for its weight matrix (units × inputs)");
                        fits = false;
                    }
                }

                resolved[layer.Name] = result;
            }

            return fits ? resolved : null;
        }

        private void ReportTooLarge(string layer, long values, string measure) =>
            Report(
                DiagnosticDescriptors.LayerTooLarge,
                PropertyLocation(layer),
                layer,
                values.ToString(CultureInfo.InvariantCulture),
                measure,
                MaxArrayLength.ToString(CultureInfo.InvariantCulture));

        private void CheckHeads(List<LayerSpec> order, Dictionary<string, LayerSpec> byName)
        {
            // A layer reads a dense layer when one is upstream of it; its gradient reaches one when a path to it
            // has no [StopGradient] edge. A head needs the second, or its training method updates nothing.
            var readsDense = new HashSet<string>();
            var trainable = new HashSet<string>();
            foreach (LayerSpec layer in order)
            {
                if (layer.Kind == LayerKind.Dense || layer.Sources.Any(readsDense.Contains))
                {
                    readsDense.Add(layer.Name);
                }

                if (layer.Kind == LayerKind.Dense || layer.Sources.Any(s => trainable.Contains(s) && !layer.StoppedSources.Contains(s)))
                {
                    trainable.Add(layer.Name);
                }
            }

            foreach (LayerSpec layer in _layers.Select(l => byName[l.Name]))
            {
                if (layer.Kind == LayerKind.Add)
                {
                    LayerSpec first = byName[layer.Sources[0]];
                    foreach (LayerSpec other in layer.Sources.Distinct().Skip(1).Select(s => byName[s]).Where(o => o.Size != first.Size))
                    {
                        Report(DiagnosticDescriptors.AddSizeMismatch, SourceLocation(layer, other.Name), layer.Name, first.Name, first.Size, other.Name, other.Size);
                    }
                }

                bool singleClassError = false;
                if (layer.Head is { } head)
                {
                    LocationInfo? lossLocation = Lookup(_lossLocations, layer.Name, PropertyLocation(layer.Name));
                    if (!trainable.Contains(layer.Name))
                    {
                        string reason = readsDense.Contains(layer.Name)
                            ? "sends no gradient to a dense layer because [StopGradient] cuts every path to one"
                            : "reads only inputs and has no parameters to train";
                        Report(DiagnosticDescriptors.HeadOnInput, Lookup(_headLocations, layer.Name, PropertyLocation(layer.Name)), layer.Name, reason);
                    }

                    if (head.Loss is LossKind.SparseCategoricalCrossEntropy or LossKind.CategoricalCrossEntropy && layer.Size < 2)
                    {
                        Report(DiagnosticDescriptors.CrossEntropyOnOneUnit, lossLocation, layer.Name, head.Loss.ToString(), layer.Size);
                        singleClassError = true;
                    }

                    if (layer.Kind == LayerKind.Dense)
                    {
                        CheckLossActivation(layer, head.Loss, lossLocation);
                    }
                }

                if (layer.Kind == LayerKind.Dense && layer.Activation == ActivationKind.Softmax && layer.Size == 1 && !singleClassError)
                {
                    Report(DiagnosticDescriptors.SoftmaxOnOneUnit, Lookup(_activationLocations, layer.Name, PropertyLocation(layer.Name)), layer.Name);
                }
            }
        }

        /// <summary>Reports a loss that cannot work (MG0021) or works poorly (MG0022) with the head's activation.</summary>
        private void CheckLossActivation(LayerSpec layer, LossKind loss, LocationInfo? location)
        {
            ActivationKind activation = layer.Activation;
            switch (loss)
            {
                case LossKind.BinaryCrossEntropy when activation is ActivationKind.Linear or ActivationKind.Relu or ActivationKind.Tanh
                    or ActivationKind.LeakyRelu or ActivationKind.Gelu or ActivationKind.Softplus:
                    Report(DiagnosticDescriptors.LossNeedsProbabilities, location, layer.Name, activation.ToString());
                    break;
                case LossKind.BinaryCrossEntropy when activation == ActivationKind.Softmax && layer.Size > 1:
                    ReportPoorMatch(layer, loss, location, "the softmax outputs of one sample sum to 1, so at most one unit can be near 1; use Sigmoid for independent labels, or SparseCategoricalCrossEntropy for one class per sample");
                    break;
                case LossKind.MeanSquaredError or LossKind.MeanAbsoluteError or LossKind.Huber when activation == ActivationKind.Softmax && layer.Size > 1:
                    ReportPoorMatch(layer, loss, location, "a distance between class probabilities learns slowly once the softmax saturates on a wrong class; use SparseCategoricalCrossEntropy with one int label per sample, or CategoricalCrossEntropy with one-hot targets");
                    break;
                case LossKind.SparseCategoricalCrossEntropy or LossKind.CategoricalCrossEntropy when activation is ActivationKind.Sigmoid or ActivationKind.Tanh:
                    ReportPoorMatch(layer, loss, location, $"the loss applies its own softmax to the {activation} outputs, which are bounded, so no class can get a probability near 1; use Linear or Softmax, and the loss works on the logits");
                    break;
                case LossKind.SparseCategoricalCrossEntropy or LossKind.CategoricalCrossEntropy when activation == ActivationKind.Relu:
                    ReportPoorMatch(layer, loss, location, "the loss applies its own softmax to the Relu outputs, and a unit below 0 gets no gradient, so a class can stop learning; use Linear or Softmax, and the loss works on the logits");
                    break;
            }
        }

        private void ReportPoorMatch(LayerSpec layer, LossKind loss, LocationInfo? location, string reason) =>
            Report(DiagnosticDescriptors.LossActivationMismatch, location, layer.Name, loss.ToString(), layer.Activation.ToString(), reason);

        private void CheckReachability(Dictionary<string, LayerSpec> byName)
        {
            var reached = new HashSet<string>();
            var pending = new Stack<string>(_layers.Where(l => l.Head is not null || l.IsOutput).Select(l => l.Name));
            while (pending.Count > 0)
            {
                string name = pending.Pop();
                if (reached.Add(name))
                {
                    foreach (string source in byName[name].Sources)
                    {
                        pending.Push(source);
                    }
                }
            }

            foreach (LayerSpec layer in _layers.Where(l => !reached.Contains(l.Name)))
            {
                Report(DiagnosticDescriptors.UnusedLayer, PropertyLocation(layer.Name), layer.Name);
            }
        }
    }
}
