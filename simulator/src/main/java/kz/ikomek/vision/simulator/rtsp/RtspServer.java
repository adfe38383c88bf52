package kz.ikomek.vision.simulator.rtsp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kz.ikomek.vision.config.BadInputException;
import kz.ikomek.vision.simulator.Fault;
import kz.ikomek.vision.simulator.encode.RtpFrame;
import kz.ikomek.vision.simulator.encode.VideoLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An RTSP server (RFC 2326) for simulated cameras, with RTP/H.264 (RFC 6184) interleaved on the
 * RTSP TCP connection, or over UDP to the client's ports (one shared datagram socket).
 *
 * <p>Why plain NIO and not Vert.x: the whole server is one selector thread that also carries the
 * shared frame clock, so serving a client costs a buffer copy per picture and no thread, no
 * timer and no context switch; we also need byte-level control of the connection for the fault
 * switches (reset, stall with the socket open, garbage in place of RTP), which is simpler against a
 * raw {@link SocketChannel}. Nothing here blocks: slow readers get their backlog kept up to a limit,
 * then lose pictures up to the next keyframe, as a real camera does.
 */
public final class RtspServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RtspServer.class);

    private static final Pattern CAMERA_PATH = Pattern.compile("^/cam-(\\d+)(/.*)?$");
    private static final Pattern CLIENT_PORT = Pattern.compile("client_port=(\\d+)(?:-(\\d+))?");
    private static final Pattern INTERLEAVED = Pattern.compile("interleaved=(\\d+)(?:-(\\d+))?");
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final int MAX_HEAD = 16 * 1024;
    /** Backlog a slow client may accumulate before pictures are dropped (about 6 s of video). */
    private static final int MAX_PENDING = 512 * 1024;
    private static final long SESSION_TIMEOUT_NANOS = 60_000_000_000L;

    private final Map<Integer, VideoLoop> feeds;
    private final Credentials credentials;
    private final IntFunction<Fault> faults;
    private final String host;
    private final int fps;
    private final long tickNanos;
    private final Selector selector;
    private final ServerSocketChannel server;
    /** RTP (and the RTCP port announced with it) for clients that ask for UDP; one socket serves them all. */
    private final DatagramChannel rtpUdp;
    private final DatagramChannel rtcpUdp;
    private final List<Connection> connections = new ArrayList<>();
    private final SplittableRandom random = new SplittableRandom();
    private final Thread thread;
    private final int port;
    private byte[] scratch = new byte[256 * 1024];
    private volatile boolean running = true;
    private long tick;
    private final boolean loopStartsOnPlay;
    /** With loopStartsOnPlay: frames of the loop's first picture (a keyframe) before the loop runs. */
    private final int leadInFrames;

    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile int open;
    private volatile int playing;
    /** Playing connections per camera as of the last tick (tests: is any camera read by two clients at once?). */
    private volatile Map<Integer, Integer> playingByCamera = Map.of();

    /** Counters of the whole server, for tests and load runs. */
    public record Stats(int connections, int playing, long framesSent, long framesDropped, long bytesSent) {
    }

    /**
     * Binds the listening socket. Done before the (slow) encoding, so a port in use fails at once.
     *
     * @throws BadInputException when the address is taken or cannot be bound
     */
    public static ServerSocketChannel bind(String host, int port) {
        try {
            ServerSocketChannel ch = ServerSocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            try {
                ch.bind(new InetSocketAddress(host, port), 4096);
            } catch (IOException e) {
                ch.close();
                throw new BadInputException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
                        + "); choose another --port or --host", e);
            }
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a server socket", e);
        }
    }

    /** Serves feeds on an already bound socket (see {@link #bind}); the server owns it from now on. */
    public RtspServer(ServerSocketChannel server, String host, Map<Integer, VideoLoop> feeds, Credentials credentials,
                      IntFunction<Fault> faults, int fps, boolean loopStartsOnPlay, Duration leadIn) throws IOException {
        this.feeds = feeds;
        this.loopStartsOnPlay = loopStartsOnPlay;
        this.leadInFrames = Math.toIntExact(leadIn.toMillis() * fps / 1000);
        this.credentials = credentials;
        this.faults = faults;
        this.host = host;
        this.fps = fps;
        this.tickNanos = 1_000_000_000L / fps;
        this.selector = Selector.open();
        this.server = server;
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.rtpUdp = DatagramChannel.open();
        rtpUdp.bind(new InetSocketAddress(host, 0));
        rtpUdp.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
        rtpUdp.configureBlocking(false);
        this.rtcpUdp = DatagramChannel.open();
        rtcpUdp.bind(new InetSocketAddress(host, 0));
        rtcpUdp.configureBlocking(false);
        this.port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        this.thread = new Thread(this::loop, "rtsp-simulator-" + this.port);
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return port;
    }

    public Stats stats() {
        return new Stats(open, playing, framesSent.get(), framesDropped.get(), bytesSent.get());
    }

    /** Camera number → connections playing it now (as of the last frame tick); cameras nobody plays are absent. */
    public Map<Integer, Integer> playingByCamera() {
        return playingByCamera;
    }

    // ------------------------------------------------------------------ event loop

    private void loop() {
        try {
            serve();
        } catch (Throwable t) {
            // Nothing else would notice: the thread is the whole server.
            log.error("rtsp simulator on port {} stopped", port, t);
            running = false;
            throw t;
        } finally {
            for (Connection c : new ArrayList<>(connections)) {
                c.close(false);
            }
            try {
                selector.close();
                rtpUdp.close();
                rtcpUdp.close();
            } catch (IOException e) {
                log.debug("selector close", e);
            }
        }
    }

    private void serve() {
        long next = System.nanoTime() + tickNanos;
        while (running) {
            try {
                long now = System.nanoTime();
                if (now >= next) {
                    tick++;
                    onTick(now);
                    next += tickNanos;
                    if (now - next > 5 * tickNanos) {
                        // Fell far behind (machine paused): resume the clock instead of bursting.
                        next = now + tickNanos;
                    }
                }
                long waitMs = Math.max(1, (next - System.nanoTime()) / 1_000_000);
                selector.select(waitMs);
                var it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else {
                        Connection c = (Connection) key.attachment();
                        if (key.isReadable()) {
                            c.onReadable();
                        }
                        if (key.isValid() && key.isWritable()) {
                            c.flush();
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.warn("rtsp simulator loop error", e);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Connection c = new Connection(ch);
            c.key = ch.register(selector, SelectionKey.OP_READ, c);
            connections.add(c);
            open = connections.size();
        }
    }

    private void onTick(long now) {
        int play = 0;
        Map<Integer, Integer> byCamera = new java.util.HashMap<>();
        boolean checkIdle = tick % fps == 0;
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (checkIdle && now - c.lastActivity > SESSION_TIMEOUT_NANOS) {
                log.debug("closing idle RTSP session on camera {}", c.camera);
                c.close(false);
                continue;
            }
            if (c.playing) {
                play++;
                byCamera.merge(c.camera, 1, Integer::sum);
                c.onTick(now);
            }
        }
        playing = play;
        playingByCamera = Map.copyOf(byCamera);
    }

    // ------------------------------------------------------------------ one client

    private final class Connection {
        final SocketChannel ch;
        SelectionKey key;
        ByteBuffer in = ByteBuffer.allocate(4096);
        byte[] pending;
        int pendingLen;
        boolean closeAfterFlush;
        long lastActivity = System.nanoTime();
        int camera;
        VideoLoop loop;
        String session;
        int channel;
        boolean playing;
        long playStarted;
        long nextIndex;
        long phase;             // loop position 0 is at this tick (loopStartsOnPlay), else 0
        int seq;
        int timestamp;
        int ssrc;
        boolean needKey;
        /** Where RTP goes when the client chose UDP; null for interleaved TCP. */
        InetSocketAddress udpTarget;

        Connection(SocketChannel ch) {
            this.ch = ch;
        }

        void onReadable() {
            int n;
            try {
                if (!in.hasRemaining()) {
                    if (in.capacity() >= MAX_HEAD + 65536) {
                        close(false);
                        return;
                    }
                    ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                    in.flip();
                    bigger.put(in);
                    in = bigger;
                }
                n = ch.read(in);
            } catch (IOException e) {
                close(false);
                return;
            }
            if (n < 0) {
                close(false);
                return;
            }
            lastActivity = System.nanoTime();
            in.flip();
            try {
                while (in.hasRemaining() && key.isValid()) {
                    if (!consumeOne()) {
                        break;
                    }
                }
            } catch (IllegalArgumentException e) {
                reply(null, 400, "Bad Request", "", null);
                closeAfterFlush = true;
                flush();
                return;
            }
            in.compact();
        }

        /** Consumes one interleaved packet (RTCP from the client) or one request; false if incomplete. */
        boolean consumeOne() {
            int start = in.position();
            if (in.get(start) == '$') {
                if (in.remaining() < 4) {
                    return false;
                }
                int len = ((in.get(start + 2) & 0xFF) << 8) | (in.get(start + 3) & 0xFF);
                if (in.remaining() < 4 + len) {
                    return false;
                }
                in.position(start + 4 + len);
                return true;
            }
            int end = -1;
            for (int i = start; i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                if (in.remaining() > MAX_HEAD) {
                    throw new IllegalArgumentException("request head too long");
                }
                return false;
            }
            byte[] head = new byte[end - start];
            in.get(start, head);
            RtspRequest probe = RtspRequest.parseHead(head, new byte[0]);
            int bodyLen = probe.contentLength();
            if (in.limit() - (end + 4) < bodyLen) {
                return false;
            }
            byte[] body = new byte[bodyLen];
            in.get(end + 4, body);
            in.position(end + 4 + bodyLen);
            handle(RtspRequest.parseHead(head, body));
            return true;
        }

        void handle(RtspRequest r) {
            String method = r.method();
            if (method.equals("OPTIONS")) {
                reply(r, 200, "OK",
                        "Public: OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER\r\n",
                        null);
                return;
            }
            if (method.equals("GET_PARAMETER") || method.equals("SET_PARAMETER")) {
                reply(r, 200, "OK", "", null);
                return;
            }
            if (method.equals("TEARDOWN")) {
                playing = false;
                reply(r, 200, "OK", "", null);
                closeAfterFlush = true;
                flush();
                return;
            }
            if (!List.of("DESCRIBE", "SETUP", "PLAY", "PAUSE").contains(method)) {
                reply(r, 501, "Not Implemented", "", null);
                return;
            }
            int cam = cameraOf(r.uri());
            VideoLoop feed = cam > 0 ? feeds.get(cam) : null;
            if (feed == null) {
                reply(r, 404, "Not Found", "", null);
                return;
            }
            Fault fault = faults.apply(cam);
            if (fault != null && fault.kind() == Fault.Kind.REFUSE) {
                reset();
                return;
            }
            if (credentials != null && !credentials.accepts(r)) {
                reply(r, 401, "Unauthorized", credentials.challenges(), null);
                return;
            }
            if (camera != 0 && camera != cam) {
                reply(r, 459, "Aggregate Operation Not Allowed", "", null);
                return;
            }
            switch (method) {
                case "DESCRIBE" -> describe(r, cam, feed);
                case "SETUP" -> setup(r, cam, feed);
                case "PLAY" -> play(r);
                default -> {
                    playing = false;
                    reply(r, 200, "OK", "Session: " + session + "\r\n", null);
                }
            }
        }

        private String base(int cam) {
            return "rtsp://" + host + ":" + port + "/cam-" + cam + "/";
        }

        void describe(RtspRequest r, int cam, VideoLoop feed) {
            String sdp = "v=0\r\n"
                    + "o=- " + (1000 + feed.seed()) + " 1 IN IP4 " + host + "\r\n"
                    + "s=cam-" + cam + " " + feed.scenario() + "\r\n"
                    + "i=ikomek-vision simulated camera, scenario " + feed.scenario() + ", street " + feed.seed() + "\r\n"
                    + "c=IN IP4 0.0.0.0\r\n"
                    + "t=0 0\r\n"
                    + "a=tool:ikomek-vision simulator\r\n"
                    + "a=control:*\r\n"
                    + "a=range:npt=0-\r\n"
                    + "m=video 0 RTP/AVP " + RtpFrame.PAYLOAD_TYPE + "\r\n"
                    + "b=AS:700\r\n"
                    + "a=rtpmap:" + RtpFrame.PAYLOAD_TYPE + " H264/90000\r\n"
                    + "a=fmtp:" + RtpFrame.PAYLOAD_TYPE + " packetization-mode=1;profile-level-id="
                    + feed.profileLevelId() + ";sprop-parameter-sets=" + feed.spropParameterSets() + "\r\n"
                    + "a=framesize:" + RtpFrame.PAYLOAD_TYPE + " " + feed.width() + "-" + feed.height() + "\r\n"
                    + "a=framerate:" + feed.fps() + "\r\n"
                    + "a=control:track1\r\n";
            reply(r, 200, "OK", "Content-Base: " + base(cam) + "\r\nContent-Type: application/sdp\r\n",
                    sdp.getBytes(StandardCharsets.US_ASCII));
        }

        void setup(RtspRequest r, int cam, VideoLoop feed) {
            String transport = r.header("Transport");
            boolean tcp = transport != null && (transport.contains("RTP/AVP/TCP") || transport.contains("interleaved"));
            Matcher ports = transport == null ? null : CLIENT_PORT.matcher(transport);
            if (!tcp && (ports == null || !ports.find())) {
                reply(r, 461, "Unsupported Transport", "", null);
                return;
            }
            camera = cam;
            loop = feed;
            if (session == null) {
                byte[] id = new byte[8];
                for (int i = 0; i < id.length; i++) {
                    id[i] = (byte) random.nextInt(256);
                }
                session = HexFormat.of().formatHex(id).toUpperCase();
                ssrc = random.nextInt();
                seq = random.nextInt(65536);
                timestamp = random.nextInt();
            }
            String ssrcHex = String.format("%08X", ssrc);
            if (tcp) {
                Matcher m = INTERLEAVED.matcher(transport);
                channel = m.find() ? Integer.parseInt(m.group(1)) : 0;
                udpTarget = null;
                reply(r, 200, "OK", "Transport: RTP/AVP/TCP;unicast;interleaved=" + channel + "-" + (channel + 1)
                        + ";ssrc=" + ssrcHex + ";mode=\"PLAY\"\r\nSession: " + session + ";timeout=60\r\n", null);
                return;
            }
            int rtpPort = Integer.parseInt(ports.group(1));
            String rtcp = ports.group(2) != null ? ports.group(2) : String.valueOf(rtpPort + 1);
            try {
                var peer = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
                udpTarget = new InetSocketAddress(peer, rtpPort);
                reply(r, 200, "OK", "Transport: RTP/AVP;unicast;client_port=" + rtpPort + "-" + rtcp + ";server_port="
                        + localPort(rtpUdp) + "-" + localPort(rtcpUdp) + ";ssrc=" + ssrcHex + ";mode=\"PLAY\"\r\nSession: "
                        + session + ";timeout=60\r\n", null);
            } catch (IOException e) {
                close(false);
            }
        }

        void play(RtspRequest r) {
            if (session == null || loop == null) {
                reply(r, 455, "Method Not Valid in This State", "", null);
                return;
            }
            reply(r, 200, "OK", "Session: " + session + "\r\nRange: npt=0.000-\r\nRTP-Info: url=" + base(camera)
                    + "track1;seq=" + seq + ";rtptime=" + Integer.toUnsignedString(timestamp) + "\r\n", null);
            if (!playing) {
                playing = true;
                playStarted = System.nanoTime();
                if (loopStartsOnPlay) {
                    // This client's loop begins now, at its first frame (a keyframe): it sees every scenario from
                    // the start, e.g. the dumping truck arrive, whenever it connected.
                    phase = tick + leadInFrames;
                    nextIndex = tick;
                    needKey = false;
                } else {
                    // Over TCP, start at the last keyframe of the shared loop clock, so the picture is decodable at
                    // once. Over UDP that burst would overrun the client's socket buffer: wait for the next keyframe.
                    int pos = (int) (tick % loop.size());
                    int key = loop.keyframeAtOrBefore(pos);
                    nextIndex = udpTarget == null ? tick - (pos - key) : tick + 1;
                    needKey = udpTarget != null;
                }
                onTick(playStarted);
            }
        }

        void onTick(long now) {
            Fault fault = faults.apply(camera);
            if (fault != null && now - playStarted >= fault.after().toNanos()) {
                switch (fault.kind()) {
                    case DROP, REFUSE -> {
                        reset();
                        return;
                    }
                    case STALL -> {
                        nextIndex = tick + 1;
                        return;
                    }
                    case GARBAGE -> {
                        byte[] junk = new byte[1500];
                        for (int i = 0; i < junk.length; i++) {
                            junk[i] = (byte) random.nextInt(256);
                        }
                        write(junk, junk.length);
                        return;
                    }
                    default -> throw new IllegalStateException("unknown fault " + fault.kind());
                }
            }
            sendDue(now);
        }

        void sendDue(long now) {
            while (nextIndex <= tick && key.isValid()) {
                long position = nextIndex - phase;     // negative during a lead-in: hold the first picture
                RtpFrame frame = loop.frames().get(position < 0 ? 0 : (int) (position % loop.size()));
                nextIndex++;
                int ts = timestamp;
                timestamp += 90_000 / fps;
                if (pendingLen > MAX_PENDING) {
                    needKey = true;
                }
                if (needKey && (!frame.keyframe() || pendingLen > MAX_PENDING)) {
                    framesDropped.incrementAndGet();
                    continue;
                }
                needKey = false;
                if (scratch.length < frame.wire().length) {
                    scratch = new byte[frame.wire().length * 2];
                }
                seq = frame.writeTo(scratch, 0, channel, seq, ts, ssrc);
                if (udpTarget == null) {
                    write(scratch, frame.wire().length);
                } else {
                    sendDatagrams(frame);
                }
                framesSent.incrementAndGet();
            }
        }

        /** Each packet without its 4-byte interleave header; a full send buffer loses it, as UDP does. */
        void sendDatagrams(RtpFrame frame) {
            int[] offsets = frame.packetOffsets();
            int total = frame.wire().length;
            for (int i = 0; i < offsets.length; i++) {
                int start = offsets[i] + 4;
                int end = i + 1 < offsets.length ? offsets[i + 1] : total;
                try {
                    int n = rtpUdp.send(ByteBuffer.wrap(scratch, start, end - start), udpTarget);
                    bytesSent.addAndGet(n);
                } catch (IOException e) {
                    log.debug("udp send to {} failed: {}", udpTarget, e.toString());
                }
            }
        }

        void reply(RtspRequest r, int code, String reason, String headers, byte[] body) {
            StringBuilder sb = new StringBuilder(256);
            sb.append("RTSP/1.0 ").append(code).append(' ').append(reason).append("\r\n");
            sb.append("CSeq: ").append(r == null ? "0" : r.cseq()).append("\r\n");
            sb.append("Server: ikomek-vision-simulator\r\n");
            sb.append("Date: ").append(RFC_1123.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
            sb.append(headers);
            if (session != null && !headers.contains("Session:")) {
                sb.append("Session: ").append(session).append("\r\n");
            }
            if (body != null) {
                sb.append("Content-Length: ").append(body.length).append("\r\n");
            }
            sb.append("\r\n");
            byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] all = head;
            if (body != null) {
                all = new byte[head.length + body.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(body, 0, all, head.length, body.length);
            }
            write(all, all.length);
        }

        void write(byte[] data, int len) {
            if (!key.isValid()) {
                return;
            }
            int off = 0;
            if (pendingLen == 0) {
                try {
                    off = ch.write(ByteBuffer.wrap(data, 0, len));
                    bytesSent.addAndGet(off);
                } catch (IOException e) {
                    close(false);
                    return;
                }
            }
            int rest = len - off;
            if (rest > 0) {
                if (pending == null || pending.length < pendingLen + rest) {
                    byte[] grown = new byte[Math.max(pendingLen + rest, pending == null ? 16 * 1024 : pending.length * 2)];
                    if (pending != null) {
                        System.arraycopy(pending, 0, grown, 0, pendingLen);
                    }
                    pending = grown;
                }
                System.arraycopy(data, off, pending, pendingLen, rest);
                pendingLen += rest;
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            }
        }

        void flush() {
            if (!key.isValid()) {
                return;
            }
            if (pendingLen > 0) {
                try {
                    int n = ch.write(ByteBuffer.wrap(pending, 0, pendingLen));
                    bytesSent.addAndGet(n);
                    System.arraycopy(pending, n, pending, 0, pendingLen - n);
                    pendingLen -= n;
                } catch (IOException e) {
                    close(false);
                    return;
                }
            }
            if (pendingLen == 0) {
                if (pending != null && pending.length > 64 * 1024) {
                    pending = null;
                }
                key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
                if (closeAfterFlush) {
                    close(false);
                }
            }
        }

        /** Ends the connection with a TCP reset, the way a crashing or refusing camera does. */
        void reset() {
            close(true);
        }

        void close(boolean abort) {
            playing = false;
            key.cancel();
            try {
                if (abort) {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                }
                ch.close();
            } catch (IOException e) {
                log.debug("close", e);
            }
            connections.remove(this);
            open = connections.size();
        }
    }

    private static int localPort(DatagramChannel ch) throws IOException {
        return ((InetSocketAddress) ch.getLocalAddress()).getPort();
    }

    /** Camera number from {@code rtsp://host:port/cam-7[/track1]}, or 0. */
    static int cameraOf(String uri) {
        String path = uri;
        int scheme = uri.indexOf("://");
        if (scheme >= 0) {
            int slash = uri.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : uri.substring(slash);
        }
        int q = path.indexOf('?');
        if (q >= 0) {
            path = path.substring(0, q);
        }
        Matcher m = CAMERA_PATH.matcher(path);
        if (!m.matches()) {
            return 0;
        }
        try {
            return Integer.parseInt(m.group(1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
            server.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("server close", e);
        }
    }
}
