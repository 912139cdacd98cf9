using WebRtcAsr.Media.Pipeline;
using WebRtcAsr.Media.Tests.Pipeline;

namespace WebRtcAsr.Media.Tests.Impairment;

/// <summary>
/// Drives an <see cref="AudioPipeline"/> as its owner would: packets in arrival order, and
/// <see cref="AudioPipeline.Poll"/> at every <see cref="AudioPipeline.NextTimeoutMicros"/> that
/// comes before the next arrival. Time is simulated; nothing sleeps.
/// </summary>
internal static class ImpairedStreamRunner
{
    public static (CollectingConsumer Output, AudioPipeline Pipeline) Run(PayloadTypeMap map,
        List<(long ArrivalMicros, byte[] Packet)> arrivals)
    {
        var consumer = new CollectingConsumer();
        var pipeline = new AudioPipeline(map, consumer);
        foreach (var (arrival, packet) in arrivals)
        {
            while (pipeline.NextTimeoutMicros is long timeout && timeout <= arrival)
            {
                pipeline.Poll(timeout);
            }

            pipeline.Receive(packet, arrival);
        }

        while (pipeline.NextTimeoutMicros is long timeout)
        {
            pipeline.Poll(timeout);
        }

        pipeline.Flush();
        return (consumer, pipeline);
    }
}
