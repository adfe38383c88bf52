package kz.ikomek.vision.simulator.rtsp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * RTSP authentication as cameras do it (RFC 2326 refers to HTTP's RFC 2617): Basic and/or Digest
 * (MD5, with or without qop=auth). A request without valid credentials gets 401 with challenges.
 */
public final class Credentials {

    /** Which schemes the simulated cameras offer. */
    public enum Scheme {
        BASIC, DIGEST, BOTH
    }

    static final String REALM = "ikomek-vision";

    private final String user;
    private final String password;
    private final Scheme scheme;
    private final String nonce;

    public Credentials(String user, String password, Scheme scheme) {
        this.user = user;
        this.password = password;
        this.scheme = scheme;
        byte[] n = new byte[16];
        new SecureRandom().nextBytes(n);
        this.nonce = HexFormat.of().formatHex(n);
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The WWW-Authenticate header lines for a 401 answer. */
    String challenges() {
        StringBuilder sb = new StringBuilder();
        if (scheme != Scheme.BASIC) {
            sb.append("WWW-Authenticate: Digest realm=\"").append(REALM).append("\", nonce=\"").append(nonce)
                    .append("\", algorithm=MD5\r\n");
        }
        if (scheme != Scheme.DIGEST) {
            sb.append("WWW-Authenticate: Basic realm=\"").append(REALM).append("\"\r\n");
        }
        return sb.toString();
    }

    boolean accepts(RtspRequest request) {
        String auth = request.header("Authorization");
        if (auth == null) {
            return false;
        }
        if (auth.regionMatches(true, 0, "Basic ", 0, 6) && scheme != Scheme.DIGEST) {
            try {
                String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()),
                        StandardCharsets.UTF_8);
                return MessageDigest.isEqual(decoded.getBytes(StandardCharsets.UTF_8),
                        (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (auth.regionMatches(true, 0, "Digest ", 0, 7) && scheme != Scheme.BASIC) {
            Map<String, String> p = digestParams(auth.substring(7));
            if (!user.equals(p.get("username")) || !nonce.equals(p.get("nonce")) || p.get("response") == null) {
                return false;
            }
            String uri = p.getOrDefault("uri", request.uri());
            String ha1 = md5(user + ":" + REALM + ":" + password);
            String ha2 = md5(request.method() + ":" + uri);
            String qop = p.get("qop");
            String expected = qop == null
                    ? md5(ha1 + ":" + nonce + ":" + ha2)
                    : md5(ha1 + ":" + nonce + ":" + p.get("nc") + ":" + p.get("cnonce") + ":" + qop + ":" + ha2);
            return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                    p.get("response").toLowerCase().getBytes(StandardCharsets.US_ASCII));
        }
        return false;
    }

    /** key="value", key=value, ... (values may contain commas inside quotes). */
    static Map<String, String> digestParams(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).trim().toLowerCase();
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                int end = s.indexOf('"', i + 1);
                if (end < 0) {
                    end = s.length();
                }
                value = s.substring(i + 1, end);
                i = end + 1;
            } else {
                int end = s.indexOf(',', i);
                if (end < 0) {
                    end = s.length();
                }
                value = s.substring(i, end).trim();
                i = end;
            }
            out.put(key, value);
        }
        return out;
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every Java platform", e);
        }
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=***, scheme=" + scheme + "]";
    }
}
