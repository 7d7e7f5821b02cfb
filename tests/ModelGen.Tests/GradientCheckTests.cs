using System;
using System.Collections.Generic;
using System.Linq;
using ModelGen.Tests.Models;
using ModelGen.Tests.Reference;
using Xunit;

namespace ModelGen.Tests;

/// <summary>
/// Every backward path against central finite differences of an independent double-precision evaluation of
/// the same graph. The float32 gradients must agree to a relative error of 1e-3 (plus 1e-5 absolute, for
/// gradients near zero).
/// </summary>
public class GradientCheckTests
{
    private const int Batch = 5;

    public static TheoryData<string> DiamondSubsets() =>
        ["Cls", "Bin", "Reg", "Outer", "ClsAndBin", "BinAndOuter", "ClsAndRegAndOuter", "ClsAndBinAndRegAndOuter"];

    [Theory]
    [MemberData(nameof(DiamondSubsets))]
    public void DiamondNet_GradientsMatchFiniteDifferences(string subset)
    {
        var net = new DiamondNet();
        var random = new Random(3);
        var inputs = new Dictionary<string, float[]>
        {
            ["X1"] = Uniform(random, Batch * 3, -1, 1),
            ["X2"] = Uniform(random, Batch * 2, -1, 1),
        };
        int[] cls = Labels(random, Batch, 3);
        float[] bin = Uniform(random, Batch * 2, 0, 1);
        float[] reg = Uniform(random, Batch * 2, -1, 1);
        float[] outer = Uniform(random, Batch, -1, 1);
        float[] x1 = inputs["X1"], x2 = inputs["X2"];
        var all = new Dictionary<string, Array> { ["Cls"] = cls, ["Bin"] = bin, ["Reg"] = reg, ["Outer"] = outer };
        string[] heads = subset.Split("And");
        Func<float> train = subset switch
        {
            "Cls" => () => net.TrainOnCls(x1, x2, cls).Total,
            "Bin" => () => net.TrainOnBin(x1, x2, bin).Total,
            "Reg" => () => net.TrainOnReg(x1, x2, reg).Total,
            "Outer" => () => net.TrainOnOuter(x1, x2, outer).Total,
            "ClsAndBin" => () => net.TrainOnClsAndBin(x1, x2, cls, bin).Total,
            "BinAndOuter" => () => net.TrainOnBinAndOuter(x1, x2, bin, outer).Total,
            "ClsAndRegAndOuter" => () => net.TrainOnClsAndRegAndOuter(x1, x2, cls, reg, outer).Total,
            _ => () => net.TrainOnClsAndBinAndRegAndOuter(x1, x2, cls, bin, reg, outer).Total,
        };

        CheckGradients(net, inputs, heads.ToDictionary(h => h, h => all[h]), train);
    }

    [Fact]
    public void TrainOnBin_TakesBothInputs()
    {
        // Bin reads D, which reads both inputs through the concatenation C, so its method needs x1 and x2.
        string[] names = typeof(DiamondNet).GetMethod(nameof(DiamondNet.TrainOnBin), [typeof(ReadOnlySpan<float>), typeof(ReadOnlySpan<float>), typeof(ReadOnlySpan<float>)])!
            .GetParameters()
            .Select(p => p.Name!)
            .ToArray();
        Assert.Equal(["x1", "x2", "bin"], names);

        var net = new DiamondNet();
        var losses = net.TrainOnBin(new float[3], new float[2], new float[2]);
        Assert.NotNull(losses.Bin);
        Assert.Null(losses.Cls);
    }

    public static TheoryData<string, string> ActivationLossCases()
    {
        var data = new TheoryData<string, string>();
        foreach (string activation in new[] { "Linear", "Relu", "Sigmoid", "Tanh", "Softmax" })
        {
            foreach (string subset in new[] { "Mse", "Mae", "Bce", "Sce", "All" })
            {
                data.Add(activation, subset);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ActivationLossCases))]
    public void EveryActivationAndLoss_GradientsMatchFiniteDifferences(string activation, string subset)
    {
        var random = new Random(activation.Length * 31 + subset.Length);
        float[] x = Uniform(random, Batch * 3, -1.5f, 1.5f);
        float[] mse = Uniform(random, Batch * 3, -1, 1);
        float[] mae = Uniform(random, Batch * 3, -1, 1);
        float[] bce = Uniform(random, Batch * 3, 0, 1);
        int[] sce = Labels(random, Batch, 3);
        var all = new Dictionary<string, Array> { ["Mse"] = mse, ["Mae"] = mae, ["Bce"] = bce, ["Sce"] = sce };
        var inputs = new Dictionary<string, float[]> { ["X"] = x };
        Dictionary<string, Array> targets = subset == "All" ? all : new() { [subset] = all[subset] };

        (IModel model, Func<float> train) = activation switch
        {
            "Linear" => Bind(new LinearHeadsNet(), n => subset switch
            {
                "Mse" => n.TrainOnMse(x, mse).Total,
                "Mae" => n.TrainOnMae(x, mae).Total,
                "Bce" => n.TrainOnBce(x, bce).Total,
                "Sce" => n.TrainOnSce(x, sce).Total,
                _ => n.TrainOnMseAndMaeAndBceAndSce(x, mse, mae, bce, sce).Total,
            }),
            "Relu" => Bind(new ReluHeadsNet(), n => subset switch
            {
                "Mse" => n.TrainOnMse(x, mse).Total,
                "Mae" => n.TrainOnMae(x, mae).Total,
                "Bce" => n.TrainOnBce(x, bce).Total,
                "Sce" => n.TrainOnSce(x, sce).Total,
                _ => n.TrainOnMseAndMaeAndBceAndSce(x, mse, mae, bce, sce).Total,
            }),
            "Sigmoid" => Bind(new SigmoidHeadsNet(), n => subset switch
            {
                "Mse" => n.TrainOnMse(x, mse).Total,
                "Mae" => n.TrainOnMae(x, mae).Total,
                "Bce" => n.TrainOnBce(x, bce).Total,
                "Sce" => n.TrainOnSce(x, sce).Total,
                _ => n.TrainOnMseAndMaeAndBceAndSce(x, mse, mae, bce, sce).Total,
            }),
            "Tanh" => Bind(new TanhHeadsNet(), n => subset switch
            {
                "Mse" => n.TrainOnMse(x, mse).Total,
                "Mae" => n.TrainOnMae(x, mae).Total,
                "Bce" => n.TrainOnBce(x, bce).Total,
                "Sce" => n.TrainOnSce(x, sce).Total,
                _ => n.TrainOnMseAndMaeAndBceAndSce(x, mse, mae, bce, sce).Total,
            }),
            _ => Bind(new SoftmaxHeadsNet(), n => subset switch
            {
                "Mse" => n.TrainOnMse(x, mse).Total,
                "Mae" => n.TrainOnMae(x, mae).Total,
                "Bce" => n.TrainOnBce(x, bce).Total,
                "Sce" => n.TrainOnSce(x, sce).Total,
                _ => n.TrainOnMseAndMaeAndBceAndSce(x, mse, mae, bce, sce).Total,
            }),
        };

        CheckGradients(model, inputs, targets, train);
    }

    private static (IModel Model, Func<float> Train) Bind<TModel>(TModel model, Func<TModel, float> train)
        where TModel : IModel => (model, () => train(model));

    /// <summary>
    /// Runs one training call with a learning rate of 0, so that parameters keep their values and each
    /// <see cref="Parameter.Gradient"/> holds the gradient of that call, then compares every element with the
    /// finite difference of the reference loss.
    /// </summary>
    private static void CheckGradients(IModel model, Dictionary<string, float[]> inputs, Dictionary<string, Array> targets, Func<float> train)
    {
        model.Optimizer = new Optimizers.Sgd(0f);
        foreach (Parameter parameter in model.Parameters)
        {
            Array.Clear(parameter.Gradient);
        }

        float[][] before = model.GetWeights();
        float total = train();
        float[][] after = model.GetWeights();
        for (int i = 0; i < before.Length; i++)
        {
            Assert.Equal(before[i], after[i]);
        }

        var reference = new ReferenceNetwork(model);
        double referenceTotal = reference.Loss(inputs, targets);
        Assert.True(Math.Abs(total - referenceTotal) <= 1e-5 * Math.Max(1, Math.Abs(referenceTotal)), $"Loss {total} differs from the double-precision reference {referenceTotal}.");

        int checkedElements = 0;
        foreach (Parameter parameter in model.Parameters)
        {
            for (int k = 0; k < parameter.Length; k++)
            {
                double expected = reference.FiniteDifference(parameter, k, inputs, targets);
                double actual = parameter.Gradient[k];
                double tolerance = (1e-3 * Math.Abs(expected)) + 1e-5;
                Assert.True(
                    Math.Abs(actual - expected) <= tolerance,
                    $"{parameter.Name}[{k}]: gradient {actual:R}, finite difference {expected:R}.");
                checkedElements++;
            }
        }

        Assert.True(model.Parameters.Any(p => p.Gradient.Any(g => g != 0)), "No gradient was computed.");
        Assert.True(checkedElements > 0);
    }

    private static float[] Uniform(Random random, int count, float low, float high) =>
        Enumerable.Range(0, count).Select(_ => low + ((high - low) * (float)random.NextDouble())).ToArray();

    private static int[] Labels(Random random, int count, int classes) =>
        Enumerable.Range(0, count).Select(_ => random.Next(classes)).ToArray();
}
