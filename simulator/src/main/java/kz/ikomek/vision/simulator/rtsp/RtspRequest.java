package kz.ikomek.vision.simulator.rtsp;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/** One RTSP request (RFC 2326 section 6): request line, headers (case-insensitive), body. */
record RtspRequest(String method, String uri, String version, Map<String, String> headers, byte[] body) {

    String header(String name) {
        return headers.get(name);
    }

    String cseq() {
        return headers.getOrDefault("CSeq", "0");
    }

    /**
     * Parses the head (request line and headers, without the blank line).
     *
     * @throws IllegalArgumentException when the request line is malformed
     */
    static RtspRequest parseHead(byte[] head, byte[] body) {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] first = lines[0].split(" ");
        if (first.length != 3 || !first[2].startsWith("RTSP/")) {
            throw new IllegalArgumentException("bad request line: " + lines[0]);
        }
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return new RtspRequest(first[0], first[1], first[2], headers, body);
    }

    int contentLength() {
        String v = headers.get("Content-Length");
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad Content-Length: " + v);
        }
    }
}
