using WebRtcAsr.Speech.Recognition;

namespace WebRtcAsr.Speech.Tests.Recognition;

public class PublishedPrefixListTests
{
    [Fact]
    public void A_published_view_never_changes_whatever_the_list_does_next()
    {
        var list = new PublishedPrefixList<int>(2);
        var views = new List<(IReadOnlyList<int> View, int[] Expected)>();
        var model = new List<int>();
        var random = new Random(7);
        for (var step = 0; step < 2000; step++)
        {
            if (random.Next(4) == 0)
            {
                var keep = random.Next(model.Count + 1);
                list.Truncate(keep);
                model.RemoveRange(keep, model.Count - keep);
            }
            else
            {
                list.Add(step);
                model.Add(step);
            }

            if (random.Next(3) == 0)
            {
                views.Add((list.Publish(), [.. model]));
            }
        }

        Assert.True(views.Count > 500);
        foreach (var (view, expected) in views)
        {
            Assert.Equal(expected, view);
            Assert.Equal(expected.Length, view.Count);
        }
    }

    [Fact]
    public void Publishing_again_without_a_change_gives_the_same_view()
    {
        var list = new PublishedPrefixList<string>(4);
        Assert.Empty(list.Publish());
        list.Add("a");
        list.Add("b");
        var first = list.Publish();
        Assert.Same(first, list.Publish());

        list.Truncate(5); // keeps both: no change
        Assert.Same(first, list.Publish());

        list.Add("c");
        var second = list.Publish();
        Assert.NotSame(first, second);
        Assert.Equal(["a", "b"], first);
        Assert.Equal(["a", "b", "c"], second);
        Assert.Throws<ArgumentOutOfRangeException>(() => first[2]);
    }
}
