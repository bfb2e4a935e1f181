using System.Security.Cryptography;

namespace Berth.Network.Overlay.Sealed;

/// <summary>The session cache: least recently used first out, and sessions of keys gone from the ring dropped.</summary>
public sealed partial class FrameOpener
{
    private OpenerSession Admit(OpenerSessionKey id, OverlayKey ringKey, AesGcm aes)
    {
        if (_sessions.Count >= MaxSessions)
        {
            Evict(_oldest!);
        }

        var session = new OpenerSession(id, ringKey, aes);
        _sessions.Add(id, session);
        Link(session);
        return session;
    }

    private void Touch(OpenerSession session)
    {
        if (!ReferenceEquals(session, _newest))
        {
            Unlink(session);
            Link(session);
        }
    }

    private void Evict(OpenerSession session)
    {
        foreach (var partial in session.Partials)
        {
            if (partial is not null)
            {
                Release(partial);
            }
        }

        Unlink(session);
        _sessions.Remove(session.Id);
        session.Dispose();
    }

    // Runs on the receiving thread when it first sees a newly published ring.
    private void Adopt(OverlayKeyRing? ring)
    {
        _ring = ring;
        foreach (var session in _sessions.Values)
        {
            if (ring is null || !ring.Keys.Contains(session.RingKey))
            {
                _dropping.Add(session);
            }
        }

        foreach (var session in _dropping)
        {
            Evict(session);
        }

        _dropping.Clear();
    }

    private void Link(OpenerSession session)
    {
        session.Older = _newest;
        session.Newer = null;
        if (_newest is not null)
        {
            _newest.Newer = session;
        }

        _newest = session;
        _oldest ??= session;
    }

    private void Unlink(OpenerSession session)
    {
        if (session.Newer is null)
        {
            _newest = session.Older;
        }
        else
        {
            session.Newer.Older = session.Older;
        }

        if (session.Older is null)
        {
            _oldest = session.Newer;
        }
        else
        {
            session.Older.Newer = session.Newer;
        }

        session.Newer = null;
        session.Older = null;
    }
}
