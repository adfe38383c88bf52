package kz.ikomek.vision.models.eval;

/** A per-label confusion count; precision, recall and F1 are 0 when undefined (no predicted / actual positives). */
public final class Confusion {
    private int tp;
    private int fp;
    private int fn;
    private int tn;

    public void add(boolean actual, boolean predicted) {
        if (actual && predicted) {
            tp++;
        } else if (predicted) {
            fp++;
        } else if (actual) {
            fn++;
        } else {
            tn++;
        }
    }

    public int tp() {
        return tp;
    }

    public int fp() {
        return fp;
    }

    public int fn() {
        return fn;
    }

    public int tn() {
        return tn;
    }

    public double precision() {
        return tp + fp == 0 ? 0.0 : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? 0.0 : (double) tp / (tp + fn);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
    }

    /** Share of actual negatives that were flagged: the false-alarm rate. */
    public double falsePositiveRate() {
        return fp + tn == 0 ? 0.0 : (double) fp / (fp + tn);
    }
}
