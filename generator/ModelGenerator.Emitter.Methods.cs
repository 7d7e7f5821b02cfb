using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

public sealed partial class ModelGenerator
{
    /// <summary>This part writes the public training and prediction methods.</summary>
    private sealed partial class Emitter
    {
        // ---- Training methods ------------------------------------------------------------------------

        /// <summary>
        /// Writes the two public overloads of one subset's training method (without and with per-sample weights)
        /// and the private method both call.
        /// </summary>
        private void WriteTrainingMethods(ImmutableArray<LayerSpec> heads)
        {
            var plan = new StepPlan(_graph, heads);
            string name = TrainingMethodName(heads);
            string attribute = $"[global::ModelGen.TrainingMethod({string.Join(", ", heads.Select(h => "\"" + h.Name + "\""))})]";
            string[] inputParameters = plan.Inputs.Select(i => $"[global::ModelGen.InputValues(\"{i.Name}\")] {ReadOnlySpan}<float> {Names.Parameter(i.Name)}").ToArray();
            string[] targetParameters = heads.Select(h => $"[global::ModelGen.HeadTarget(\"{h.Name}\")] {ReadOnlySpan}<{TargetType(h)}> {Names.Parameter(h.Name)}").ToArray();
            string[] weightParameters = heads.Select(h => $"{ReadOnlySpan}<float> {SampleWeightsName(h)}").ToArray();
            string inputArguments = string.Join(", ", plan.Inputs.Select(i => Names.Parameter(i.Name)).Concat(heads.Select(h => Names.Parameter(h.Name))));

            // Without sample weights.
            _w.WriteDocComment(TrainingDocs(plan, weighted: false));
            _w.WriteLine(attribute);
            WriteSignature($"public Losses {name}(", inputParameters.Concat(targetParameters));
            _w.WriteLine($"    => __{name}({inputArguments}, {string.Join(", ", heads.Select(_ => "default"))}, weighted: false);");
            _w.WriteLine();

            // With sample weights.
            _w.WriteDocComment(TrainingDocs(plan, weighted: true));
            _w.WriteLine(attribute);
            WriteSignature($"public Losses {name}(", inputParameters.Concat(targetParameters).Concat(weightParameters));
            _w.WriteLine($"    => __{name}({inputArguments}, {string.Join(", ", heads.Select(SampleWeightsName))}, weighted: true);");
            _w.WriteLine();

            WriteTrainingCore(plan, name, inputParameters.Concat(targetParameters).Concat(weightParameters).Select(StripAttribute));
        }

        private void WriteTrainingCore(StepPlan plan, string name, IEnumerable<string> parameters)
        {
            WriteSignature($"private Losses __{name}(", parameters.Append("bool weighted"));
            _w.WriteLine("{");
            using (new Indent(_w))
            {
                _w.WriteLine("// Check every argument before anything changes.");
                WriteInputChecks(plan.Inputs);
                foreach (LayerSpec head in plan.Heads)
                {
                    string weights = SampleWeightsName(head);
                    _w.WriteLine($"bool labelled{head.Name} = !weighted || {Kernels}.TensorChecks.SampleWeights({weights}, batch, nameof({weights}), \"{head.Name}\");");
                }

                foreach (LayerSpec head in plan.Heads)
                {
                    string parameter = Names.Parameter(head.Name);
                    string check = TargetType(head) == "int" ? "Labels"
                        : head.Head!.Loss is LossKind.BinaryCrossEntropy or LossKind.CategoricalCrossEntropy ? "ProbabilityTarget"
                        : "Target";
                    _w.WriteLine($"{Kernels}.TensorChecks.{check}({parameter}, batch, {head.Size}, nameof({parameter}), \"{head.Name}\", {SampleWeightsName(head)});");
                }

                string anyTrainable = plan.Updatable.Length == 0 ? "false" : string.Join(" || ", plan.Updatable.Select(l => Names.Field(l.Name) + ".Trainable"));
                _w.WriteLine($"{Kernels}.TensorChecks.Trainable({anyTrainable}, \"{name}\", \"{JoinNames(plan.Updatable, code: false)}\");");
                _w.WriteLine();

                _w.WriteLine("// Forward, only through the layers these heads read.");
                WriteForwardCalls(plan.Forward, training: true);
                _w.WriteLine();

                _w.WriteLine("// Losses and their gradients; a non-finite loss stops the step before any update.");
                foreach (LayerSpec head in plan.Heads)
                {
                    string parameter = Names.Parameter(head.Name);
                    _w.WriteLine($"float loss{head.Name} = __Loss{head.Name}(batch, {parameter}, {SampleWeightsName(head)});");
                    _w.WriteLine($"{Kernels}.TensorChecks.Loss(loss{head.Name}, nameof({parameter}), \"{head.Name}\");");
                }

                _w.WriteLine();
                _w.WriteLine("// A head contributes when its weight is above 0 and it has a sample of weight above 0. A layer is");
                _w.WriteLine("// updated when it is trainable and the gradient of a contributing head reaches it.");
                foreach (LayerSpec head in plan.Heads)
                {
                    _w.WriteLine($"bool active{head.Name} = labelled{head.Name} && {Names.Field(head.Name)}.Head!.Weight > 0f;");
                }

                foreach (LayerSpec layer in plan.Updatable)
                {
                    string[] reachedBy = plan.HeadsReaching(layer).Select(h => "active" + h.Name).ToArray();
                    string condition = reachedBy.Length == 1 ? reachedBy[0] : "(" + string.Join(" || ", reachedBy) + ")";
                    _w.WriteLine($"bool update{layer.Name} = {Names.Field(layer.Name)}.Trainable && {condition};");
                }

                _w.OpenBlock($"if ({(plan.Updatable.Length == 0 ? "false" : string.Join(" || ", plan.Updatable.Select(l => "update" + l.Name)))})");
                WriteBackwardAndUpdate(plan);
                _w.CloseBlock();
                _w.WriteLine();

                foreach (LayerSpec dropout in plan.Forward.Where(l => l.Kind == LayerKind.Dropout))
                {
                    _w.WriteLine($"{Names.Field(dropout.Name)}.CompleteCall();");
                }

                string total = string.Join(" + ", plan.Heads.Select(h => $"({Names.Field(h.Name)}.Head!.Weight * loss{h.Name})"));
                string perHead = string.Join(", ", _graph.Heads.Select(h => plan.Heads.Contains(h) ? "loss" + h.Name : "null"));
                _w.WriteLine($"return new Losses({total}, {perHead});");
            }

            _w.WriteLine("}");
            _w.WriteLine();
        }

        private void WriteBackwardAndUpdate(StepPlan plan)
        {
            _w.WriteLine("// Backward, from the heads to the inputs.");
            foreach (LayerSpec layer in plan.Backward.Where(plan.NeedsClearedGradient))
            {
                _w.WriteLine($"{Names.Field(layer.Name)}Gradient.Rows(batch).Clear();");
            }

            foreach (LayerSpec layer in plan.Backward.Reverse())
            {
                var arguments = new List<string> { "batch" };
                if (layer.Kind == LayerKind.Dense)
                {
                    arguments.AddRange(DirectInputs(layer).Select(i => Names.Parameter(i.Name)));
                    arguments.Add("update" + layer.Name);
                }

                if (ModelGraph.IsFused(layer) && HasAnyConsumer(layer))
                {
                    arguments.Add($"addOutputGradient: {(plan.HasContributingConsumer(layer) ? "true" : "false")}");
                }

                _w.WriteLine($"__Backward{layer.Name}({string.Join(", ", arguments)});");
            }

            _w.WriteLine();
            _w.WriteLine("// Update; the optimizer checks that every gradient is finite before it changes anything.");
            _w.WriteLine("__update.Clear();");
            foreach (LayerSpec layer in plan.Updatable)
            {
                _w.OpenBlock($"if (update{layer.Name})");
                _w.WriteLine($"__update.Add({Names.Field(layer.Name)});");
                _w.CloseBlock();
                _w.WriteLine();
            }

            _w.WriteLine("__optimizer.Step(__update.Items);");
        }

        private string[] TrainingDocs(StepPlan plan, bool weighted)
        {
            ImmutableArray<LayerSpec> untouched = _graph.DenseLayers.Where(l => !plan.Updatable.Contains(l)).ToImmutableArray();
            var doc = new List<string>
            {
                "<summary>",
                $"Runs one training step on {HeadList(plan.Heads)}{(weighted ? ", with per-sample weights" : string.Empty)}: forward through {JoinNames(plan.Forward.Where(l => l.Kind != LayerKind.Input), code: false)},",
                "the loss, back-propagation and one optimizer update.",
                "</summary>",
                "<remarks>",
                $"Can update the weights and biases of {JoinNames(plan.Updatable)}, and their optimizer state; a layer whose",
                "<c>Trainable</c> is false still passes gradients on but does not change.",
            };
            if (plan.Updatable.Length > 0 && plan.Updatable.All(l => !l.Trainable))
            {
                doc.Add("Every layer this method can update is declared frozen, so the call throws unless one is unfrozen first.");
            }

            doc.Add(untouched.Length == 0
                ? "It reaches every layer of the model."
                : $"{JoinNames(untouched)} {(untouched.Length == 1 ? "is" : "are")} not changed: {(untouched.Length == 1 ? "its" : "their")} parameters, gradients and optimizer state stay bit-for-bit as they were.");
            doc.Add("A head of weight 0, or whose samples all have weight 0, contributes nothing, and layers only it reaches do not change.");
            doc.Add("Every argument is checked before anything changes; a rejected call leaves the model as it was.");
            doc.Add("</remarks>");
            foreach (LayerSpec input in plan.Inputs)
            {
                doc.Add($"<param name=\"{Names.Camel(input.Name)}\">Values of input <c>{input.Name}</c>: batch × {input.Size}, row-major.</param>");
            }

            foreach (LayerSpec head in plan.Heads)
            {
                doc.Add(TargetType(head) == "int"
                    ? $"<param name=\"{Names.Camel(head.Name)}\">Class labels of head <c>{head.Name}</c> ({LossName(head.Head!.Loss)}): one value in [0, {head.Size - 1}] per sample.</param>"
                    : $"<param name=\"{Names.Camel(head.Name)}\">Targets of head <c>{head.Name}</c> ({LossName(head.Head!.Loss)}): batch × {head.Size}, row-major.</param>");
            }

            if (weighted)
            {
                foreach (LayerSpec head in plan.Heads)
                {
                    string ignored = TargetType(head) == "int" ? "whose label is ignored" : "whose target is ignored and may be NaN";
                    doc.Add($"<param name=\"{SampleWeightsName(head)}\">Weight of each sample in the loss of <c>{head.Name}</c>, finite and >= 0; 0 marks a sample without a label for this head, {ignored}.</param>");
                }
            }

            doc.Add("<returns>The losses of this step, computed before the update; heads not trained here are <see langword=\"null\"/>.</returns>");
            doc.Add("<exception cref=\"global::System.ArgumentException\">An input, target or weight has the wrong length or a non-finite value, a label is out of range, or the loss or a gradient is not finite.</exception>");
            doc.Add("<exception cref=\"global::System.InvalidOperationException\">Every layer this method can update is frozen.</exception>");
            return doc.ToArray();
        }

        private void WriteSignature(string start, IEnumerable<string> parameters)
        {
            string[] list = parameters.ToArray();
            _w.WriteLine(start);
            for (int i = 0; i < list.Length; i++)
            {
                _w.WriteLine("    " + list[i] + (i == list.Length - 1 ? ")" : ","));
            }
        }

        private static string StripAttribute(string parameter) =>
            parameter.StartsWith("[", System.StringComparison.Ordinal) ? parameter.Substring(parameter.IndexOf(']') + 2) : parameter;

        /// <summary>Name of a head's sample-weight parameter, in the weighted training methods and the Dataset constructor.</summary>
        internal static string SampleWeightsName(LayerSpec head) => Names.Escape(Names.Camel(head.Name) + "SampleWeights");

        private static string TargetType(LayerSpec head) => head.Head!.Loss == LossKind.SparseCategoricalCrossEntropy ? "int" : "float";

        private void WriteInputChecks(ImmutableArray<LayerSpec> inputs)
        {
            string first = Names.Parameter(inputs[0].Name);
            _w.WriteLine($"int batch = {Kernels}.TensorChecks.BatchSize({first}, {inputs[0].Size}, nameof({first}), \"{inputs[0].Name}\");");
            foreach (LayerSpec input in inputs.Skip(1))
            {
                string parameter = Names.Parameter(input.Name);
                _w.WriteLine($"{Kernels}.TensorChecks.SameBatch({parameter}, batch, {input.Size}, nameof({parameter}), \"{input.Name}\", nameof({first}));");
            }
        }

        private void WriteForwardCalls(IEnumerable<LayerSpec> order, bool training)
        {
            foreach (LayerSpec layer in order.Where(l => l.Kind != LayerKind.Input))
            {
                string arguments = string.Join(", ", DirectInputs(layer).Select(i => Names.Parameter(i.Name)).Prepend("batch"));
                if (layer.Kind == LayerKind.Dropout)
                {
                    arguments += $", training: {(training ? "true" : "false")}";
                }

                _w.WriteLine($"__Forward{layer.Name}({arguments});");
            }
        }

        // ---- Predict ---------------------------------------------------------------------------------

        private void WritePredict()
        {
            WritePredictPair(_graph.Outputs, "Predict", "every head and output layer");
            foreach (LayerSpec output in _graph.Outputs)
            {
                WritePredictPair(ImmutableArray.Create(output), "Predict" + output.Name, $"<c>{output.Name}</c> only");
            }
        }

        private void WritePredictPair(ImmutableArray<LayerSpec> outputs, string name, string what)
        {
            ImmutableHashSet<string> reached = _graph.Reach(outputs);
            ImmutableArray<LayerSpec> inputs = _graph.InputsOf(reached);
            string inputParameters = string.Join(", ", inputs.Select(i => $"[global::ModelGen.InputValues(\"{i.Name}\")] {ReadOnlySpan}<float> {Names.Parameter(i.Name)}"));
            string inputArguments = string.Join(", ", inputs.Select(i => Names.Parameter(i.Name)));
            string[] inputDocs = inputs.Select(i => $"<param name=\"{Names.Camel(i.Name)}\">Values of input <c>{i.Name}</c>: batch × {i.Size}, row-major.</param>").ToArray();
            bool single = outputs.Length == 1;

            // The allocating form returns new arrays.
            _w.WriteDocComment(new[] { $"<summary>Computes the outputs of {what} for a batch, in new arrays. Dropout layers pass values through; no parameter changes.</summary>" }
                .Concat(inputDocs)
                .Concat(new[] { single ? $"<returns>Outputs of <c>{outputs[0].Name}</c>: batch × {outputs[0].Size}, row-major.</returns>" : "<returns>One array per head and output layer, batch × units, row-major.</returns>" })
                .ToArray());
            _w.OpenBlock($"public {(single ? "float[]" : "Outputs")} {name}({inputParameters})");
            string first = Names.Parameter(inputs[0].Name);
            _w.WriteLine($"int batch = {Kernels}.TensorChecks.BatchSize({first}, {inputs[0].Size}, nameof({first}), \"{inputs[0].Name}\");");
            foreach (LayerSpec output in outputs)
            {
                _w.WriteLine($"float[] {Names.Parameter(output.Name)} = new float[batch * {output.Size}];");
            }

            _w.WriteLine($"{name}({inputArguments}, {string.Join(", ", outputs.Select(h => Names.Parameter(h.Name)))});");
            _w.WriteLine(single ? $"return {Names.Parameter(outputs[0].Name)};" : $"return new Outputs({string.Join(", ", outputs.Select(h => Names.Parameter(h.Name)))});");
            _w.CloseBlock();
            _w.WriteLine();

            // The span form allocates nothing once the buffers have grown to the batch size.
            _w.WriteDocComment(new[] { $"<summary>Computes the outputs of {what} for a batch into the caller's buffers, without allocating once the model has seen a batch this large. Dropout layers pass values through; no parameter changes.</summary>" }
                .Concat(inputDocs)
                .Concat(outputs.Select(h => $"<param name=\"{Names.Camel(h.Name)}\">Receives the outputs of <c>{h.Name}</c>: batch × {h.Size} values.</param>"))
                .ToArray());
            string outputParameters = string.Join(", ", outputs.Select(h => $"{Span}<float> {Names.Parameter(h.Name)}"));
            _w.OpenBlock($"public void {name}({inputParameters}, {outputParameters})");
            WriteInputChecks(inputs);
            foreach (LayerSpec output in outputs)
            {
                string parameter = Names.Parameter(output.Name);
                _w.WriteLine($"{Kernels}.TensorChecks.Destination({parameter}, batch, {output.Size}, nameof({parameter}), \"{output.Name}\");");
            }

            _w.WriteLine();
            WriteForwardCalls(_graph.InOrder(reached), training: false);
            foreach (LayerSpec output in outputs)
            {
                _w.WriteLine($"{Names.Field(output.Name)}Output.Rows(batch).CopyTo({Names.Parameter(output.Name)});");
            }

            _w.CloseBlock();
            _w.WriteLine();
        }
    }

    /// <summary>What one subset's training step computes: forward and backward layers, updatable layers, and gradient routes.</summary>
    private sealed class StepPlan
    {
        private readonly ModelGraph _graph;
        private readonly ImmutableHashSet<string> _gradientReach;
        private readonly ImmutableHashSet<string> _backwardNames;

        public StepPlan(ModelGraph graph, ImmutableArray<LayerSpec> heads)
        {
            _graph = graph;
            Heads = heads;
            ImmutableHashSet<string> reach = graph.Reach(heads);
            _gradientReach = graph.GradientReach(heads);
            Forward = graph.InOrder(reach);
            Inputs = graph.InputsOf(reach);
            Backward = Forward.Where(l => _gradientReach.Contains(l.Name) && graph.NeedsGradient(l)).ToImmutableArray();
            _backwardNames = Backward.Select(l => l.Name).ToImmutableHashSet();
            Updatable = Backward.Where(l => l.Kind == LayerKind.Dense).ToImmutableArray();
        }

        public ImmutableArray<LayerSpec> Heads { get; }

        /// <summary>Layers the forward pass computes, in evaluation order.</summary>
        public ImmutableArray<LayerSpec> Forward { get; }

        /// <summary>Inputs the heads read, in declaration order.</summary>
        public ImmutableArray<LayerSpec> Inputs { get; }

        /// <summary>Layers back-propagation visits, in evaluation order (the step walks them backwards).</summary>
        public ImmutableArray<LayerSpec> Backward { get; }

        /// <summary>Dense layers the heads' gradients reach.</summary>
        public ImmutableArray<LayerSpec> Updatable { get; }

        /// <summary>Heads of the subset whose gradient reaches <paramref name="layer"/>.</summary>
        public IEnumerable<LayerSpec> HeadsReaching(LayerSpec layer) =>
            Heads.Where(h => _graph.GradientReach(new[] { h }).Contains(layer.Name));

        /// <summary>Whether a consumer in this step sends a gradient back into <paramref name="layer"/>.</summary>
        public bool HasContributingConsumer(LayerSpec layer) =>
            _graph.ConsumersOf(layer, _backwardNames).Any(c => _graph.CarriesGradient(c, layer));

        /// <summary>
        /// Whether the layer's output gradient starts from zero: the loss of an unfused head of the subset writes it
        /// (so no clearing), anything else that consumers add into must be cleared first.
        /// </summary>
        public bool NeedsClearedGradient(LayerSpec layer) =>
            !(Heads.Contains(layer) && !ModelGraph.IsFused(layer)) && HasContributingConsumer(layer);
    }
}
