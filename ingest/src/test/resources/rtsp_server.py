#!/usr/bin/python3
"""An independent RTSP camera for ingest's integration tests: GStreamer's RTSP server serving H.264.

Mounts (each a different picture, all H.264 over RTP):
  /ok       moving SMPTE bars (a normal scene)
  /frozen   still SMPTE bars (the picture never changes)
  /frozen-clock  still SMPTE bars with a ticking clock (the sensor hung, the camera's overlay did not)
  /still    still SMPTE bars with sensor noise and a ticking clock (a healthy camera on a quiet street)
  /night    the same at night: dark, low contrast, stronger noise, a ticking clock
  /black    black
  /covered  flat grey (a covered lens)
  /cam-1 .. /cam-N  (with --paths N) one shared moving stream behind N paths, so N clients cost one encoder

Prints "READY <port>" on stdout once it listens. With --auth user:pass every mount needs Basic auth.
"""
import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

RAW = "video/x-raw,width={w},height={h},framerate={fps}/1"
# Each picture: the pipeline up to the encoder, and any branches that feed it.
PATTERNS = {
    "ok": ("videotestsrc is-live=true pattern=smpte horizontal-speed=4 ! " + RAW, ""),
    # smpte75, not smpte: the full SMPTE pattern has a corner of random pixels that changes every frame.
    "frozen": ("videotestsrc is-live=true pattern=smpte75 ! " + RAW, ""),
    "frozen-clock": ("videotestsrc is-live=true pattern=smpte75 ! " + RAW + " ! timeoverlay", ""),
    # Random pixels blended in at 5%: noise of about 4 grey levels, new in every frame, as a sensor's.
    "still": ("compositor name=mix sink_1::alpha=0.05 ! video/x-raw,format=I420 ! timeoverlay",
              "videotestsrc is-live=true pattern=smpte75 ! " + RAW + " ! mix.sink_0 "
              "videotestsrc is-live=true pattern=snow ! " + RAW + " ! mix.sink_1"),
    # A quiet street at night: dark, low contrast, the sensor's noise stronger (gain up), a ticking clock.
    "night": ("compositor name=mix sink_1::alpha=0.08 ! video/x-raw,format=I420 ! timeoverlay",
              "videotestsrc is-live=true pattern=smpte75 ! " + RAW + " ! videobalance brightness=-0.3 contrast=0.35 "
              "! mix.sink_0 videotestsrc is-live=true pattern=snow ! " + RAW + " ! mix.sink_1"),
    "black": ("videotestsrc is-live=true pattern=black ! " + RAW, ""),
    "covered": ("videotestsrc is-live=true pattern=solid-color foreground-color=0xff808080 ! " + RAW, ""),
}


def launch(pattern, a):
    picture, branches = pattern
    return ("( " + picture + " ! x264enc tune=zerolatency speed-preset=ultrafast threads=1 key-int-max={gop} "
            "bitrate={kbps} ! rtph264pay name=pay0 pt=96 config-interval=1 " + branches + " )").format(
        w=a.width, h=a.height, fps=a.fps, gop=a.gop, kbps=a.kbps)


class SharedFactory(GstRtspServer.RTSPMediaFactory):
    """Every path of this factory gets the same media: one encoder, many clients."""

    def do_gen_key(self, url):
        return "shared"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--auth", help="user:pass required from every client")
    ap.add_argument("--width", type=int, default=640)
    ap.add_argument("--height", type=int, default=360)
    ap.add_argument("--fps", type=int, default=10)
    ap.add_argument("--gop", type=int, default=10, help="frames between keyframes")
    ap.add_argument("--kbps", type=int, default=600)
    ap.add_argument("--paths", type=int, default=0, help="also serve /cam-1 .. /cam-N from one shared stream")
    a = ap.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_service(str(a.port))
    mounts = server.get_mount_points()

    permissions = None
    if a.auth:
        user, password = a.auth.split(":", 1)
        auth = GstRtspServer.RTSPAuth()
        token = GstRtspServer.RTSPToken()
        token.set_string("media.factory.role", "viewer")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(user, password), token)
        server.set_auth(auth)
        permissions = GstRtspServer.RTSPPermissions()
        permissions.add_permission_for_role("viewer", "media.factory.access", True)
        permissions.add_permission_for_role("viewer", "media.factory.construct", True)

    def mount(path, factory, pattern):
        factory.set_launch(launch(pattern, a))
        factory.set_shared(True)
        if permissions is not None:
            factory.set_permissions(permissions)
        mounts.add_factory(path, factory)

    for name, pattern in PATTERNS.items():
        mount("/" + name, GstRtspServer.RTSPMediaFactory(), pattern)
    if a.paths:
        shared = SharedFactory()
        shared.set_launch(launch(PATTERNS["ok"], a))
        shared.set_shared(True)
        if permissions is not None:
            shared.set_permissions(permissions)
        for n in range(1, a.paths + 1):
            mounts.add_factory("/cam-%d" % n, shared)

    if server.attach(None) == 0:
        print("cannot listen on port %d" % a.port, file=sys.stderr)
        sys.exit(1)
    print("READY %d" % a.port, flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
