using ModelGen.Optimizers;
using ModelGen.Tests.Models;

namespace ModelGen.Tests;

/// <summary>
/// The Net-S fixture with its reference data. Reference values were computed in double precision; the
/// float32 model matches them to about 1e-6.
/// </summary>
internal static class NetSFixture
{
    public const double Tolerance = 2e-6;

    public static readonly float[] X = [1, 0, 0, 1, 1, 1, -1, 2];
    public static readonly float[] TargetA = [0.5f, -0.5f, 1, 0];
    public static readonly float[] TargetB = [1, 0, -1, 0.5f];

    /// <summary>Creates the model with the fixture's weights and plain SGD (learning rate 0.1).</summary>
    public static NetS Create()
    {
        var net = new NetS { Optimizer = new Sgd(0.1f) };
        net.SetWeights([
            [0.1f, -0.2f, 0.3f, 0.4f], [0f, 0f],
            [0.5f, -0.5f], [0f],
            [-0.3f, 0.2f], [0.1f],
        ]);
        return net;
    }
}
