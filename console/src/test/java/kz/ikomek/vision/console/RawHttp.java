package kz.ikomek.vision.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 over a plain socket, for what {@link java.net.http.HttpClient} cannot do: send from another loopback
 * address (127.0.0.x stands for another client machine), set the Host header, or send a request head slowly.
 */
final class RawHttp implements AutoCloseable {

    final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    /** Connects from {@code from} (any 127.0.0.x works on Linux loopback) to the console on 127.0.0.1. */
    static RawHttp connect(String from, int port) {
        try {
            Socket s = new Socket();
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(60_000);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException("connecting from " + from, e);
        }
    }

    /** One request with {@code Connection: close}; the answer is read with {@link #response()}. */
    RawHttp send(String method, String path, String host, String json, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
        if (json != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        }
        head.append("Connection: close\r\n\r\n");
        try {
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static String login(String username, String password) {
        return new io.vertx.core.json.JsonObject().put("username", username).put("password", password).encode();
    }

    record Response(int status, String head, String body) {
    }

    /** Reads until the server closes the connection. */
    Response response() {
        try (socket) {
            InputStream in = socket.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = split < 0 ? text : text.substring(0, split);
            String body = split < 0 ? "" : text.substring(split + 4);
            int status = head.startsWith("HTTP/1.1 ") ? Integer.parseInt(head.substring(9, 12)) : -1;
            return new Response(status, head, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
