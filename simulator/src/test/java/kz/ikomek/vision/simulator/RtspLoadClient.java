package kz.ikomek.vision.simulator;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal RTSP client for load runs: many sessions on one selector thread, each doing
 * DESCRIBE, SETUP (TCP interleaved), PLAY, then only reading the interleaved RTP and counting
 * packets and pictures (RTP marker bits). Decoding 1,000 streams with ffmpeg would measure ffmpeg;
 * this measures the server.
 *
 * <p>{@code java ... RtspLoadClient rtsp://127.0.0.1:8554 CLIENTS CAMERAS SECONDS}: client i plays
 * camera 1 + i % CAMERAS; prints totals every 5 s.
 */
public final class RtspLoadClient implements AutoCloseable {
    private static final Pattern SESSION = Pattern.compile("(?im)^Session:\\s*([^;\\r\\n]+)");
    private static final Pattern STATUS = Pattern.compile("^RTSP/1.0 (\\d{3})");

    private final Selector selector = Selector.open();
    private final List<Session> sessions = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** Per-session counters. */
    public static final class Session {
        final String url;
        final SocketChannel ch;
        final ByteBuffer in = ByteBuffer.allocate(256 * 1024);
        int step;
        String session;
        volatile long packets;
        volatile long pictures;
        volatile long bytes;
        volatile String failure;
        long lastKeepAlive = System.nanoTime();

        Session(String url, SocketChannel ch) {
            this.url = url;
            this.ch = ch;
        }

        public long pictures() {
            return pictures;
        }

        public String failure() {
            return failure;
        }
    }

    public RtspLoadClient(List<String> urls) throws IOException {
        for (String url : urls) {
            URI u = URI.create(url);
            SocketChannel ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            ch.configureBlocking(false);
            ch.connect(new InetSocketAddress(u.getHost(), u.getPort()));
            Session s = new Session(url, ch);
            ch.register(selector, SelectionKey.OP_CONNECT, s);
            sessions.add(s);
        }
        thread = new Thread(this::loop, "rtsp-load-client");
        thread.setDaemon(true);
        thread.start();
    }

    public List<Session> sessions() {
        return sessions;
    }

    public long totalPictures() {
        return sessions.stream().mapToLong(s -> s.pictures).sum();
    }

    public long totalBytes() {
        return sessions.stream().mapToLong(s -> s.bytes).sum();
    }

    public long failures() {
        return sessions.stream().filter(s -> s.failure != null).count();
    }

    private void loop() {
        while (running) {
            try {
                selector.select(500);
                for (SelectionKey key : selector.selectedKeys()) {
                    Session s = (Session) key.attachment();
                    try {
                        if (key.isConnectable()) {
                            s.ch.finishConnect();
                            key.interestOps(SelectionKey.OP_READ);
                            send(s, "DESCRIBE", s.url, "Accept: application/sdp\r\n");
                        } else if (key.isReadable()) {
                            read(s, key);
                        }
                    } catch (IOException | RuntimeException e) {
                        fail(s, key, e.toString());
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                for (Session s : sessions) {
                    if (s.step == 3 && now - s.lastKeepAlive > 20_000_000_000L && s.ch.isOpen()) {
                        s.lastKeepAlive = now;
                        send(s, "GET_PARAMETER", s.url, "Session: " + s.session + "\r\n");
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private void fail(Session s, SelectionKey key, String why) {
        if (s.failure == null) {
            s.failure = why;
        }
        key.cancel();
        try {
            s.ch.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    private void read(Session s, SelectionKey key) throws IOException {
        int n = s.ch.read(s.in);
        if (n < 0) {
            fail(s, key, "server closed the connection");
            return;
        }
        s.bytes += n;
        s.in.flip();
        while (s.in.hasRemaining()) {
            int p = s.in.position();
            if (s.in.get(p) == '$') {
                if (s.in.remaining() < 4) {
                    break;
                }
                int len = ((s.in.get(p + 2) & 0xFF) << 8) | (s.in.get(p + 3) & 0xFF);
                if (s.in.remaining() < 4 + len) {
                    break;
                }
                s.packets++;
                if (len >= 2 && (s.in.get(p + 5) & 0x80) != 0) {
                    s.pictures++;
                }
                s.in.position(p + 4 + len);
                continue;
            }
            String text = StandardCharsets.ISO_8859_1.decode(s.in.duplicate()).toString();
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                break;
            }
            Matcher cl = Pattern.compile("(?im)^Content-Length:\\s*(\\d+)").matcher(text.substring(0, end));
            int body = cl.find() ? Integer.parseInt(cl.group(1)) : 0;
            if (text.length() < end + 4 + body) {
                break;
            }
            s.in.position(p + end + 4 + body);
            onResponse(s, key, text.substring(0, end));
        }
        s.in.compact();
    }

    private void onResponse(Session s, SelectionKey key, String head) throws IOException {
        Matcher st = STATUS.matcher(head);
        if (!st.find() || !st.group(1).equals("200")) {
            fail(s, key, "answer: " + head.lines().findFirst().orElse(""));
            return;
        }
        switch (s.step) {
            case 0 -> {
                s.step = 1;
                send(s, "SETUP", s.url + "/track1", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n");
            }
            case 1 -> {
                Matcher m = SESSION.matcher(head);
                s.session = m.find() ? m.group(1).trim() : "";
                s.step = 2;
                send(s, "PLAY", s.url, "Session: " + s.session + "\r\nRange: npt=0.000-\r\n");
            }
            case 2 -> s.step = 3;
            default -> {
                // keep-alive answers
            }
        }
    }

    private int cseq;

    private void send(Session s, String method, String url, String headers) throws IOException {
        String req = method + " " + url + " RTSP/1.0\r\nCSeq: " + (++cseq) + "\r\nUser-Agent: ikomek-load\r\n"
                + headers + "\r\n";
        ByteBuffer b = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            if (s.ch.write(b) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Session s : sessions) {
            s.ch.close();
        }
        selector.close();
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        int clients = Integer.parseInt(args[1]);
        int cameras = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            urls.add(base + "/cam-" + (1 + i % cameras));
        }
        long t0 = System.nanoTime();
        try (RtspLoadClient load = new RtspLoadClient(urls)) {
            long end = t0 + seconds * 1_000_000_000L;
            long lastPictures = 0;
            while (System.nanoTime() < end) {
                // A reporting interval of the command-line tool, not a wait for a condition.
                java.util.concurrent.TimeUnit.SECONDS.sleep(5);
                long pics = load.totalPictures();
                long playing = load.sessions().stream().filter(s -> s.step == 3 && s.failure == null).count();
                System.out.printf("t=%4.0fs playing=%d failed=%d pictures/s=%.0f MB=%d%n",
                        (System.nanoTime() - t0) / 1e9, playing, load.failures(), (pics - lastPictures) / 5.0,
                        load.totalBytes() / (1024 * 1024));
                lastPictures = pics;
            }
            load.sessions().stream().filter(s -> s.failure != null).limit(5)
                    .forEach(s -> System.out.println("failure " + s.url + ": " + s.failure));
        }
    }
}
