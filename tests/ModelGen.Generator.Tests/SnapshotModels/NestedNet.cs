using ModelGen;

namespace ModelGen.Generator.Tests.SnapshotModels;

/// <summary>A partial class that contains a model.</summary>
public static partial class Outer
{
    /// <summary>A model nested in a partial generic struct inside a partial class.</summary>
    /// <typeparam name="T">Unused; shows that the generated part repeats the type parameters.</typeparam>
    public partial struct Holder<T>
    {
        /// <summary>The nested model.</summary>
        [Model(Seed = 5)]
        internal sealed partial class NestedNet
        {
            /// <summary>Features.</summary>
            [Input(3)]
            public partial InputLayer X { get; }

            /// <summary>The only head.</summary>
            [Dense(2, From = nameof(X))]
            [Head(Loss.MeanSquaredError)]
            public partial DenseLayer Y { get; }
        }
    }
}
