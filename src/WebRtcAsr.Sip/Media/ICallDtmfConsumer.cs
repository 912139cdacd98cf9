using WebRtcAsr.Media.Pipeline;

namespace WebRtcAsr.Sip.Media;

/// <summary>
/// A call's audio consumer that also takes its key presses, in order with the audio, on the call's owner task
/// (a caption session turns them into DTMF messages).
/// </summary>
public interface ICallDtmfConsumer : IAudioFrameConsumer
{
    void OnDtmf(CallDtmf dtmf);
}
