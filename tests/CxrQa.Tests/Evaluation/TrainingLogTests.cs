using CxrQa.Core.Evaluation;

namespace CxrQa.Tests.Evaluation;

public class TrainingLogTests
{
    [Fact]
    public void Reads_the_trainer_columns()
    {
        var log = TrainingLog.Parse("epoch,train_loss,val_auc,val_loss,lr,seconds\n1,0.61,0.91,0.40,0.001,120.5\n2,0.35,0.95,0.30,0.0005,118\n");
        Assert.Equal(2, log.Count);
        Assert.Equal(new TrainingEpoch(2, 0.35, 0.95, 0.30, 0.0005, 118), log[1]);
    }

    [Fact]
    public void Finds_columns_by_name_and_leaves_missing_ones_NaN()
    {
        var log = TrainingLog.Parse("val_auc,epoch,train_loss\r\n0.9,1,0.5\r\n,2,0.4\r\n");
        Assert.Equal(0.9, log[0].ValAuc);
        Assert.Equal(1, log[0].Epoch);
        Assert.True(double.IsNaN(log[1].ValAuc));
        Assert.True(double.IsNaN(log[1].Seconds));
    }

    [Fact]
    public void A_log_without_epochs_is_refused()
    {
        Assert.Throws<FormatException>(() => TrainingLog.Parse("loss,auc\n1,2\n"));
        Assert.Empty(TrainingLog.Parse(""));
    }
}
