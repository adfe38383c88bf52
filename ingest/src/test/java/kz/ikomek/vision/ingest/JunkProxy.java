package kz.ikomek.vision.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of an RTSP server that can turn, on command, into a camera gone mad: from then on the
 * client gets one 'x' every 50 ms instead of the server's bytes, forever. No newline and no '$', so FFmpeg's
 * RTSP demuxer keeps waiting for the end of a reply line; the socket never idles, so its timeout never fires.
 */
final class JunkProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean junk;
    private volatile boolean open = true;

    private JunkProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "junk-proxy");
        accept.setDaemon(true);
        accept.start();
    }

    static JunkProxy to(int port) throws IOException {
        return new JunkProxy(port);
    }

    String url(String path) {
        return "rtsp://127.0.0.1:" + listener.getLocalPort() + "/" + path;
    }

    /** From now on every client gets junk instead of the server's answers and video. */
    void junk() {
        junk = true;
    }

    private void acceptLoop() {
        while (open) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(client);
                sockets.add(server);
                pump(client.getInputStream(), server.getOutputStream(), false);
                pump(server.getInputStream(), client.getOutputStream(), true);
            } catch (IOException e) {
                return;   // closed
            }
        }
    }

    private void pump(InputStream in, OutputStream out, boolean toClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                while (open) {
                    if (toClient && junk) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(50);   // a trickle: the socket is never idle long enough to time out
                        continue;
                    }
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    if (!(toClient && junk)) {
                        out.write(buf, 0, n);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // a side closed
            }
        }, "junk-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        open = false;
        listener.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
