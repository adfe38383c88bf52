package kz.ikomek.vision.config;

import java.util.regex.Pattern;

/** Camera URLs carry credentials; nothing we print may show them. */
public final class Urls {

    // scheme://user:pass@host or scheme://user@host — everything between "//" and the last "@" before the
    // path, so a password holding "@" is masked whole. It stops at white space, so the text after a URL in a
    // log line ("... [rtsp @ 0x5] 401") survives; the config rejects URLs with spaces without echoing them.
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/\\s]*@");

    private Urls() {
    }

    /** {@code rtsp://viewer:secret@10.1.2.3/sub} becomes {@code rtsp://***@10.1.2.3/sub}. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        return USER_INFO.matcher(url).replaceAll("***@");
    }
}
