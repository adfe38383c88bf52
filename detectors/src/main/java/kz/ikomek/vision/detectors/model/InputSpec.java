package kz.ikomek.vision.detectors.model;

import java.util.Arrays;

/**
 * How a model wants its pixels: float32, NCHW or (when {@code channelsLast}) NHWC, the zone crop squashed to
 * width × height, value = (pixel / scale - mean) / std per channel. Two models with equal specs share one
 * pre-processed crop.
 */
public record InputSpec(String name, int width, int height, boolean rgb, float scale, float[] mean, float[] std,
                        boolean channelsLast) {

    /** The NCHW layout most exports use. */
    public InputSpec(String name, int width, int height, boolean rgb, float scale, float[] mean, float[] std) {
        this(name, width, height, rgb, scale, mean, std, false);
    }

    /** One batch's tensor shape in this layout. */
    public long[] shape(int batch) {
        return channelsLast ? new long[] {batch, height, width, 3} : new long[] {batch, 3, height, width};
    }

    public int valuesPerItem() {
        return 3 * width * height;
    }

    // Records compare arrays by identity; the crop cache needs value equality.
    @Override
    public boolean equals(Object o) {
        return o instanceof InputSpec s && width == s.width && height == s.height && rgb == s.rgb
                && channelsLast == s.channelsLast && scale == s.scale && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * width + height) + Float.hashCode(scale)) + Arrays.hashCode(mean) * 7
                + Arrays.hashCode(std) + (rgb ? 1 : 0) + (channelsLast ? 2 : 0);
    }

    @Override
    public String toString() {
        return width + "x" + height + (rgb ? " RGB" : " BGR") + (channelsLast ? " NHWC" : "") + " /" + scale + " mean " + Arrays.toString(mean)
                + " std " + Arrays.toString(std);
    }
}
