using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using ModelGen.Generator.Helpers;
using ModelGen.Generator.Model;

namespace ModelGen.Generator;

public sealed partial class ModelGenerator
{
    /// <summary>This part writes the private per-layer steps: forward, backward and head losses.</summary>
    private sealed partial class Emitter
    {
        private void WriteLayerSteps()
        {
            foreach (LayerSpec layer in _graph.Order.Where(l => l.Kind != LayerKind.Input))
            {
                WriteForward(layer);
                if (_graph.NeedsGradient(layer))
                {
                    WriteBackward(layer);
                }

                if (layer.Head is not null)
                {
                    WriteLoss(layer);
                }
            }
        }

        private void WriteForward(LayerSpec layer)
        {
            string field = Names.Field(layer.Name);
            string parameters = string.Join(", ", DirectInputs(layer).Select(i => $"{ReadOnlySpan}<float> {Names.Parameter(i.Name)}").Prepend("int batch"));
            if (layer.Kind == LayerKind.Dropout)
            {
                parameters += ", bool training";
            }

            _w.WriteLine($"// {Describe(layer)}");
            _w.OpenBlock($"private void __Forward{layer.Name}({parameters})");
            _w.WriteLine($"{Span}<float> y = {field}Output.Rows(batch);");
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    LayerSpec source = _graph[layer.Sources[0]];
                    string affine = $"{Kernels}.DenseKernel.Forward({SourceValues(source)}, {field}.Weights, {field}.Bias, {{0}}, batch, {source.Size}, {layer.Size});";
                    if (ModelGraph.KeepsPreActivation(layer))
                    {
                        _w.WriteLine(ModelGraph.IsFused(layer)
                            ? "// The head's loss reads the pre-activation values (logits), so they are kept apart."
                            : "// The activation's derivative needs the pre-activation values, so they are kept apart.");
                        _w.WriteLine($"{Span}<float> preActivation = {field}PreActivation.Rows(batch);");
                        _w.WriteLine(string.Format(CultureInfo.InvariantCulture, affine, "preActivation"));
                        _w.WriteLine($"{Kernels}.ActivationKernel.Forward({Activation(layer)}, preActivation, y, batch, {layer.Size}{Slope(layer)});");
                    }
                    else if (layer.Activation == ActivationKind.LeakyRelu)
                    {
                        _w.WriteLine(string.Format(CultureInfo.InvariantCulture, affine, "y"));
                        _w.WriteLine($"{Kernels}.ActivationKernel.Forward({Activation(layer)}, y, y, batch, {layer.Size}{Slope(layer)});");
                    }
                    else
                    {
                        // The kernel adds the bias and applies the activation while the outputs are still in registers.
                        _w.WriteLine($"{Kernels}.DenseKernel.Forward({SourceValues(source)}, {field}.Weights, {field}.Bias, y, batch, {source.Size}, {layer.Size}, {Activation(layer)});");
                    }

                    break;
                case LayerKind.Concatenate:
                    int offset = 0;
                    foreach (LayerSpec part in layer.Sources.Select(s => _graph[s]))
                    {
                        _w.WriteLine($"{Kernels}.MergeKernel.CopyColumns({SourceValues(part)}, y, batch, {part.Size}, {layer.Size}, offset: {offset});");
                        offset += part.Size;
                    }

                    break;
                case LayerKind.Add:
                    _w.WriteLine($"{SourceValues(_graph[layer.Sources[0]])}.CopyTo(y);");
                    foreach (LayerSpec part in layer.Sources.Skip(1).Select(s => _graph[s]))
                    {
                        _w.WriteLine($"{Kernels}.MergeKernel.Add({SourceValues(part)}, y);");
                    }

                    break;
                case LayerKind.Dropout:
                    string values = SourceValues(_graph[layer.Sources[0]]);
                    _w.OpenBlock("if (training)");
                    _w.WriteLine($"{Span}<float> dropoutMask = {field}Mask.Rows(batch);");
                    _w.WriteLine($"{field}.FillMask(dropoutMask);");
                    _w.WriteLine($"{Kernels}.DropoutKernel.Forward({values}, dropoutMask, y);");
                    _w.CloseBlock();
                    _w.OpenBlock("else");
                    _w.WriteLine($"{values}.CopyTo(y);");
                    _w.CloseBlock();
                    break;
            }

            _w.CloseBlock();
            _w.WriteLine();
        }

        private void WriteBackward(LayerSpec layer)
        {
            string field = Names.Field(layer.Name);
            var parameters = new List<string> { "int batch" };
            if (layer.Kind == LayerKind.Dense)
            {
                parameters.AddRange(DirectInputs(layer).Select(i => $"{ReadOnlySpan}<float> {Names.Parameter(i.Name)}"));
                parameters.Add("bool updateParameters");
            }

            bool fused = ModelGraph.IsFused(layer);
            if (fused && HasAnyConsumer(layer))
            {
                parameters.Add("bool addOutputGradient");
            }

            _w.WriteLine($"// Backward of {layer.Name}: {(layer.Kind == LayerKind.Dense ? "gradients of its parameters (when updated) and " : string.Empty)}the gradients of its sources' outputs (added to).");
            _w.OpenBlock($"private void __Backward{layer.Name}({string.Join(", ", parameters)})");
            string dy = $"{field}Gradient.Rows(batch)";
            switch (layer.Kind)
            {
                case LayerKind.Dense:
                    LayerSpec source = _graph[layer.Sources[0]];
                    string z = ModelGraph.KeepsPreActivation(layer) ? $"{field}PreActivation.Rows(batch)" : "default";
                    if (fused)
                    {
                        _w.WriteLine("// The head's loss already wrote the gradient of the logits.");
                        _w.WriteLine($"{Span}<float> dz = {field}PreActivationGradient.Rows(batch);");
                        if (HasAnyConsumer(layer))
                        {
                            _w.OpenBlock("if (addOutputGradient)");
                            _w.WriteLine($"{Kernels}.ActivationKernel.Backward({Activation(layer)}, {z}, {field}Output.Rows(batch), {dy}, dz, batch, {layer.Size}, accumulate: true{Slope(layer)});");
                            _w.CloseBlock();
                        }
                    }
                    else
                    {
                        _w.WriteLine($"{Span}<float> dz = {dy};");
                        if (layer.Activation != ActivationKind.Linear)
                        {
                            _w.WriteLine("// In place: the output gradient becomes the pre-activation gradient.");
                            _w.WriteLine($"{Kernels}.ActivationKernel.Backward({Activation(layer)}, {z}, {field}Output.Rows(batch), dz, dz, batch, {layer.Size}, accumulate: false{Slope(layer)});");
                        }
                    }

                    string dx = _graph.CarriesGradient(layer, source) ? SourceGradient(source) : "default";
                    _w.WriteLine($"{Span}<float> weightGradient = updateParameters ? {field}.WeightParameter.Gradient : default;");
                    _w.WriteLine($"{Span}<float> biasGradient = updateParameters ? {field}.BiasParameter.Gradient : default;");
                    _w.WriteLine($"{Kernels}.DenseKernel.Backward({SourceValues(source)}, {field}.Weights, dz, weightGradient, biasGradient, {dx}, batch, {source.Size}, {layer.Size});");
                    break;
                case LayerKind.Concatenate:
                    _w.WriteLine($"{ReadOnlySpan}<float> dy = {dy};");
                    int offset = 0;
                    foreach (LayerSpec part in layer.Sources.Select(s => _graph[s]))
                    {
                        if (_graph.CarriesGradient(layer, part))
                        {
                            _w.WriteLine($"{Kernels}.MergeKernel.AddColumns(dy, {SourceGradient(part)}, batch, {part.Size}, {layer.Size}, offset: {offset});");
                        }

                        offset += part.Size;
                    }

                    break;
                case LayerKind.Add:
                    _w.WriteLine($"{ReadOnlySpan}<float> dy = {dy};");
                    foreach (LayerSpec part in layer.Sources.Select(s => _graph[s]).Where(p => _graph.CarriesGradient(layer, p)))
                    {
                        _w.WriteLine($"{Kernels}.MergeKernel.Add(dy, {SourceGradient(part)});");
                    }

                    break;
                case LayerKind.Dropout:
                    LayerSpec dropped = _graph[layer.Sources[0]];
                    if (_graph.CarriesGradient(layer, dropped))
                    {
                        _w.WriteLine($"{Kernels}.DropoutKernel.Backward({dy}, {field}Mask.Rows(batch), {SourceGradient(dropped)});");
                    }

                    break;
            }

            _w.CloseBlock();
            _w.WriteLine();
        }

        private void WriteLoss(LayerSpec head)
        {
            string field = Names.Field(head.Name);
            LossKind loss = head.Head!.Loss;
            bool fused = ModelGraph.IsFused(head);
            string values = fused ? $"{field}PreActivation.Rows(batch)" : $"{field}Output.Rows(batch)";
            string gradient = fused ? $"{field}PreActivationGradient.Rows(batch)" : $"{field}Gradient.Rows(batch)";
            string weight = $"{field}.Head!.Weight";
            string fusion = fused ? $" on the logits, fused with the {ActivationName(head.Activation)}" : string.Empty;
            _w.WriteLine($"// Loss of head {head.Name}: {LossName(loss)}{fusion}; weighted by the head's weight (declared {Float(head.Head.Weight)}).");
            _w.OpenBlock($"private float __Loss{head.Name}(int batch, {ReadOnlySpan}<{TargetType(head)}> target, {ReadOnlySpan}<float> sampleWeights)");
            string call = loss switch
            {
                LossKind.MeanSquaredError => $"MeanSquaredError({values}, target, {gradient}, {weight}, sampleWeights, {head.Size})",
                LossKind.MeanAbsoluteError => $"MeanAbsoluteError({values}, target, {gradient}, {weight}, sampleWeights, {head.Size})",
                LossKind.Huber => $"Huber({values}, target, {gradient}, {weight}, sampleWeights, {head.Size}, {field}.Head!.HuberDelta)",
                LossKind.BinaryCrossEntropy when fused => $"BinaryCrossEntropyFromLogits({values}, target, {gradient}, {weight}, sampleWeights, {head.Size})",
                LossKind.BinaryCrossEntropy => $"BinaryCrossEntropy({values}, target, {gradient}, {weight}, sampleWeights, {head.Size})",
                LossKind.CategoricalCrossEntropy => $"CategoricalCrossEntropyFromLogits({values}, target, {gradient}, {head.Size}, {weight}, sampleWeights)",
                _ => $"SparseCategoricalCrossEntropyFromLogits({values}, target, {gradient}, {head.Size}, {weight}, sampleWeights)",
            };
            _w.WriteLine($"return {Kernels}.LossKernel.{call};");
            _w.CloseBlock();
            _w.WriteLine();
        }

        private IEnumerable<LayerSpec> DirectInputs(LayerSpec layer) =>
            layer.Sources.Distinct().Select(s => _graph[s]).Where(s => s.Kind == LayerKind.Input);

        private bool HasAnyConsumer(LayerSpec layer) => _model.Layers.Any(l => l.Sources.Contains(layer.Name));

        private static string Activation(LayerSpec layer) => "global::ModelGen.Activation." + layer.Activation;

        private static string Slope(LayerSpec layer) =>
            layer.Activation == ActivationKind.LeakyRelu ? $", {Names.Field(layer.Name)}.NegativeSlope" : string.Empty;

        private string Describe(LayerSpec layer)
        {
            string head = string.Empty;
            if (layer.Head is { } h)
            {
                head = $"; head ({LossName(h.Loss)})";
            }
            else if (layer.IsOutput)
            {
                head = "; output";
            }

            string stopped = layer.StoppedSources.Count > 0 ? $"; no gradient into {string.Join(", ", layer.StoppedSources)}" : string.Empty;
            string frozen = layer.Trainable ? string.Empty : "; declared frozen";
            return layer.Kind switch
            {
                LayerKind.Dense => $"{layer.Name}: dense {_graph[layer.Sources[0]].Size} -> {layer.Size}, {ActivationName(layer.Activation)}, reads {layer.Sources[0]}{head}{stopped}{frozen}.",
                LayerKind.Concatenate => $"{layer.Name}: concatenation of {string.Join(", ", layer.Sources)} ({layer.Size} values per sample){head}{stopped}.",
                LayerKind.Dropout => $"{layer.Name}: dropout of {layer.Sources[0]} at rate {layer.DropoutRate.ToString("R", CultureInfo.InvariantCulture)}, in training calls only{head}{stopped}.",
                _ => $"{layer.Name}: element-wise sum of {string.Join(", ", layer.Sources)} ({layer.Size} values per sample){head}{stopped}.",
            };
        }
    }
}
