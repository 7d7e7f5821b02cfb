using ModelGen.Tests.Models;
using Xunit;

namespace ModelGen.Tests;

public class SmokeTests
{
    [Fact]
    public void TrainOnOutput2_ReturnsOnlyOutput2Loss()
    {
        var net = new TwoHeadNet();
        var x = new float[2 * 32];
        var losses = net.TrainOnOutput2(x, [1f, 2f]);
        Assert.Null(losses.Output1);
        Assert.NotNull(losses.Output2);
    }
}
