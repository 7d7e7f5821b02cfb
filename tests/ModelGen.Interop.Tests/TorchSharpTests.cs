using System;
using System.Collections.Generic;
using System.IO;
using ModelGen.Tests.Models;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace ModelGen.Interop.Tests;

/// <summary>
/// Round trips between ModelGen's safetensors files and TorchSharp (libtorch 2.10 CPU) through
/// TorchSharp.PyBridge, which reads and writes the format as PyTorch's <c>safetensors.torch</c> does.
/// </summary>
/// <remarks>
/// NOTE: This project is not in ModelGen.sln. TorchSharp-cpu 0.107.0's libLibTorchSharp.so needs libstdc++ with
/// GLIBCXX_3.4.32 (GCC 13 or later), so on Debian 12 (GLIBCXX_3.4.30) both tests fail while loading libtorch and
/// have not passed yet. Run them with <c>dotnet test tests/ModelGen.Interop.Tests</c> on a newer system.
/// </remarks>
public sealed class TorchSharpTests : IDisposable
{
    private static readonly float[] Inputs = [1, 0, 0, 1, 1, 1, -1, 2, 0.5f, -0.25f];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "modelgen-interop-" + Guid.NewGuid().ToString("N"));

    public TorchSharpTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ModelGenFile_LoadsIntoTorchModule()
    {
        var net = new NetS(seed: 11);
        net.TrainOnAAndB(Inputs.AsSpan(0, 8), [0.5f, -0.5f, 1, 0], [1, 0, -1, 0.5f]);
        string path = Path.Combine(_folder, "net.safetensors");
        net.Save(path);

        Dictionary<string, Tensor> state = Safetensors.LoadStateDict(path);
        Assert.Equal(["A.bias", "A.weight", "B.bias", "B.weight", "T.bias", "T.weight"], new SortedSet<string>(state.Keys, StringComparer.Ordinal));
        Assert.Equal([2L, 2L], state["T.weight"].shape);
        Assert.Equal([1L, 2L], state["A.weight"].shape);
        Assert.Equal([1L], state["B.bias"].shape);

        using var module = new TorchNetS();
        module.load_safetensors(path);
        NetS.Outputs expected = net.Predict(Inputs);
        (float[] a, float[] b) = module.Run(Inputs);

        AssertClose(expected.A, a);
        AssertClose(expected.B, b);
    }

    [Fact]
    public void TorchModuleFile_LoadsIntoModelGen()
    {
        torch.manual_seed(5);
        using var module = new TorchNetS();
        string path = Path.Combine(_folder, "torch.safetensors");
        module.save_safetensors(path);
        var net = new NetS(seed: 2);

        net.Load(path);

        (float[] a, float[] b) = module.Run(Inputs);
        NetS.Outputs actual = net.Predict(Inputs);
        AssertClose(a, actual.A);
        AssertClose(b, actual.B);
        Assert.Equal(module.Weight("T"), net.T.Weights);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"[{i}]: expected {expected[i]:R}, got {actual[i]:R}.");
        }
    }

    /// <summary>Net-S in TorchSharp: Linear T (tanh), then linear heads A and B, with PyTorch's parameter names.</summary>
    private sealed class TorchNetS : nn.Module<Tensor, (Tensor A, Tensor B)>
    {
#pragma warning disable IDE1006, CA1823 // Field names become the state-dict names T.weight, A.weight and B.weight.
        private readonly Linear T = nn.Linear(2, 2);
        private readonly Linear A = nn.Linear(2, 1);
        private readonly Linear B = nn.Linear(2, 1);
#pragma warning restore IDE1006, CA1823

        public TorchNetS()
            : base(nameof(TorchNetS)) => RegisterComponents();

        public override (Tensor A, Tensor B) forward(Tensor input)
        {
            using Tensor hidden = tanh(T.forward(input));
            return (A.forward(hidden), B.forward(hidden));
        }

        public (float[] A, float[] B) Run(float[] rows)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            (Tensor a, Tensor b) = forward(tensor(rows, [rows.Length / 2, 2]));
            return (a.data<float>().ToArray(), b.data<float>().ToArray());
        }

        public float[] Weight(string layer) => (layer switch { "T" => T, "A" => A, _ => B }).weight!.data<float>().ToArray();
    }
}
