using System;
using System.ComponentModel;

namespace ModelGen.Training;

/// <summary>
/// The batch-level training and evaluation entry points that the generator implements for every model, so that
/// <see cref="Trainer"/> can run any model's training loop. Head masks have bit <c>i</c> set for the
/// <c>i</c>-th head in declaration order.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ITrainableModel : IModel
{
    /// <summary>
    /// Runs the <c>TrainOn…</c> method of the heads in <paramref name="heads"/> on <paramref name="batch"/>, writes
    /// each trained head's loss to <paramref name="headLosses"/> and its pre-update outputs to
    /// <see cref="TrainingBatch.Output"/>. It calls the overload with sample weights when the batch has weights for
    /// any of these heads (weight 1 for the others), and the overload without them otherwise.
    /// </summary>
    /// <param name="heads">Mask of the heads to train; not 0.</param>
    /// <param name="batch">Inputs and targets of the batch.</param>
    /// <param name="headLosses">One slot per head; slots of heads outside the mask are left as they are.</param>
    /// <returns>The weighted total loss of the step.</returns>
    float TrainBatch(int heads, TrainingBatch batch, Span<float> headLosses);

    /// <summary>
    /// Computes the outputs and losses of the heads in <paramref name="heads"/> without changing any parameter,
    /// gradient or optimizer state, writing losses to <paramref name="headLosses"/> and outputs to
    /// <see cref="TrainingBatch.Output"/>. Losses are weighted by the batch's sample weights where it has them.
    /// </summary>
    /// <param name="heads">Mask of the heads to evaluate; not 0.</param>
    /// <param name="batch">Inputs and targets of the batch.</param>
    /// <param name="headLosses">One slot per head; slots of heads outside the mask are left as they are.</param>
    void EvaluateBatch(int heads, TrainingBatch batch, Span<float> headLosses);
}
