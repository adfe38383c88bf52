package kz.ikomek.vision.config;

import java.util.regex.Pattern;

/** Camera URLs carry credentials; nothing we print may show them. */
public final class Urls {

    // scheme://user:pass@host or scheme://user@host — everything between "//" and the last "@" before the
    // path on that line, so a password holding "@" or a space is masked whole. Masking a little too much
    // in an odd log line is the safe side.
    private static final Pattern USER_INFO = Pattern.compile("(?<=://)[^/\\r\\n]*@");

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
