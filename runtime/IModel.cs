using System.Collections.Generic;
using ModelGen.Optimizers;

namespace ModelGen;

/// <summary>What every generated model exposes, for code that handles models of any class.</summary>
public interface IModel
{
    /// <summary>Inputs and layers in declaration order.</summary>
    IReadOnlyList<Layer> Layers { get; }

    /// <summary>Trainable tensors in declaration order, weights before bias for each layer.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The generated training methods, with the heads each trains and the layers each can update.</summary>
    IReadOnlyList<TrainingMethodInfo> TrainingMethods { get; }

    /// <summary>Optimizer that the training methods use.</summary>
    Optimizer Optimizer { get; set; }

    /// <summary>Returns copies of every parameter tensor in the order of <see cref="Parameters"/>.</summary>
    float[][] GetWeights();

    /// <summary>Replaces every parameter tensor; all lengths are checked before anything changes.</summary>
    /// <param name="weights">One array per parameter tensor, in the order of <see cref="Parameters"/>.</param>
    void SetWeights(IReadOnlyList<float[]> weights);
}
