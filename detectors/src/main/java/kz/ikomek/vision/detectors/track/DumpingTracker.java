package kz.ikomek.vision.detectors.track;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC3;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.absdiff;
import static org.bytedeco.opencv.global.opencv_core.bitwise_and;
import static org.bytedeco.opencv.global.opencv_core.bitwise_not;
import static org.bytedeco.opencv.global.opencv_core.countNonZero;
import static org.bytedeco.opencv.global.opencv_core.magnitude;
import static org.bytedeco.opencv.global.opencv_core.max;
import static org.bytedeco.opencv.global.opencv_core.mean;
import static org.bytedeco.opencv.global.opencv_core.split;
import static org.bytedeco.opencv.global.opencv_imgproc.GaussianBlur;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_GRADIENT;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.Sobel;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.accumulateWeighted;
import static org.bytedeco.opencv.global.opencv_imgproc.connectedComponentsWithStats;
import static org.bytedeco.opencv.global.opencv_imgproc.fillPoly;
import static org.bytedeco.opencv.global.opencv_imgproc.getStructuringElement;
import static org.bytedeco.opencv.global.opencv_imgproc.morphologyEx;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;
import static org.bytedeco.opencv.global.opencv_imgproc.threshold;

import java.nio.FloatBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.detectors.Box;
import kz.ikomek.vision.detectors.Candidate;
import kz.ikomek.vision.detectors.DetectorException;
import kz.ikomek.vision.detectors.Evidence;
import kz.ikomek.vision.detectors.evidence.EvidenceRenderer;
import kz.ikomek.vision.detectors.objects.Detection;
import kz.ikomek.vision.detectors.scene.Score;
import kz.ikomek.vision.detectors.zone.CameraSite;
import kz.ikomek.vision.detectors.zone.Zone;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.IntIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dumping event for one camera × no-dumping zone: a large vehicle dwells, leaves, and a new static object
 * stays where it stood, which the dumping classifier confirms → one candidate with "before", "during", "after"
 * and "vehicle" evidence. A vehicle that only passes, or parks and leaves nothing, raises nothing.
 *
 * <p>Works on a small colour thumbnail of the zone against a background that follows the zone only while it is
 * quiet, so the vehicle and what it leaves behind stand out. That thumbnail is also the motion gate: a quiet
 * street costs a resize and a subtraction of ~160×90 pixels per look; the classifier runs only to confirm a
 * left-behind object. Takes the frames' own times; not thread-safe (one camera, one thread); close it to free
 * its images.
 */
public final class DumpingTracker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DumpingTracker.class);
    private static final int THUMB_WIDTH = 160;
    private static final double QUIET = 0.002;
    /** Boxes of one object in two looks overlap at least this much when it stands still. */
    private static final double STILL_IOU = 0.6;
    /** Foreground specks smaller than this (thumbnail pixels) are noise, not part of a left-behind object. */
    private static final int MIN_FRAGMENT = 3;
    /** A left-behind object's area changes less than this share from look to look: it lies still, it does not grow. */
    private static final double STILL_AREA_CHANGE = 0.2;
    /**
     * The parked vehicle's place, filled below this share of how full it was while it stood there, is empty: the
     * vehicle left. In LEFT, a blob above this share of the parked blob's area can be a vehicle again.
     */
    private static final double GONE_SHRINK = 0.6;
    /** A blob whose outline shows less than this share of the background's edges there is a ghost. */
    private static final double GHOST_EDGES = 0.25;
    /** Looks whose median becomes the first background. */
    private static final int WARMUP_LOOKS = 3;
    /** How often the quiet zone's "before" evidence is renewed. */
    private static final Duration QUIET_RENEW = Duration.ofSeconds(30);
    /** Smallest blob (of the zone) that can carry a vehicle's track: a truck far from the camera is small. */
    private static final double TRACK_MIN_AREA = 0.02;
    /** What the object detector must find where a blob stopped for it to be a vehicle (COCO labels). */
    public static final Set<String> VEHICLE_LABELS = Set.of("truck", "bus", "car");
    /**
     * The side of the square the detector looks at, in sizes of the stopped blob, per try: COCO's detector finds a
     * vehicle in its street around it (a truck filling the picture it often misses), and a second and third try at
     * other scales catch what one scale misses.
     */
    private static final double[] VEHICLE_CONTEXT = {3.0, 2.5, 3.5};
    /** A stopped blob this big (of the zone) is spreading cover, not a vehicle: see {@link #notAVehicle}. */
    static final double COVERS_ZONE = 0.5;
    /** A blob that only grew where it appeared, to this many times its first size, spread: see {@link #notAVehicle}. */
    static final double GREW_IN_PLACE = 2.0;
    /** A look's box holds the one before when it covers this share of it. */
    private static final double NESTED = 0.9;
    /** Still looks in a row that make a stop (two looks whose boxes agree). */
    private static final int STOP_LOOKS = 1;
    /** Tries per stop before the blob is taken for something that is not a vehicle. */
    private static final int VEHICLE_TRIES = VEHICLE_CONTEXT.length;
    /** Between two tries: the picture must have changed (the tailgate opens, a car in front moves on). */
    private static final Duration VEHICLE_RETRY = Duration.ofSeconds(4);
    /** A detection is the stopped blob's vehicle when they overlap by this share of the smaller of the two boxes. */
    private static final double VEHICLE_OVERLAP = 0.5;

    /** Confirms a left-behind object: the dumping classifier's score on that region of the frame. */
    @FunctionalInterface
    public interface PileCheck {
        Score score(Mat bgr, Box region) throws DetectorException;
    }

    /** Finds vehicles ({@link #VEHICLE_LABELS}) in a region of the frame: the object detector, best first. */
    @FunctionalInterface
    public interface VehicleCheck {
        List<Detection> vehicles(Mat bgr, Box region) throws DetectorException;
    }

    public enum State { IDLE, VEHICLE, LEFT }

    /** A followed blob: its share of the zone and its box (thumbnail pixels). */
    record Blob(double area, Box thumbBox) {
    }

    /** A connected blob of one look's foreground: its box and pixel count (thumbnail pixels). */
    private record Component(Box box, int pixels) {
    }

    private final CameraSite site;
    private final Zone zone;
    private final DumpingPolicy policy;
    private final PileCheck check;
    private final VehicleCheck vehicleCheck;
    private final VehicleCheckBudget budget;
    private Box zoneBox;           // zone's bounding box in frame pixels
    private Mat mask;              // zone polygon in thumbnail pixels, 8U
    private double zoneArea;       // non-zero pixels of mask
    private Mat background;        // 32F BGR thumbnail
    private Evidence quiet;        // the zone quiet, as "before" evidence, renewed at most every QUIET_RENEW
    private Instant quietAt;
    private State state = State.IDLE;
    private Instant arrivedAt;
    private Box track;             // the vehicle's blob at the last look, thumbnail pixels
    private Instant trackAt;       // when that look was
    private Mat trackFrame;        // that look's frame, kept until the detector's first try at this stop (see follow)
    private Instant stoppedAt;     // first look at which the tracked blob stood still at this stop, null while it moves
    private int stillLooks;        // looks in a row at which it stood still
    private int vehicleTries;      // detector calls at this stop
    private boolean moved;         // the followed blob was seen moving (it drove in) before it stood still
    private Blob arrival;          // the followed blob at the first look that showed it
    private boolean nested;        // every look's box of it held the one before: it only grew where it was
    private Blob current;          // the followed blob at the last look
    private Instant lastTry;
    private Detection vehicleSeen; // what the detector found where it stopped; null: not (yet) known to be a vehicle
    private Box parked;            // where it stood still (thumbnail pixels), null while it moves
    private Box footprint;         // all it covered while parked (waste comes out beside and behind it)
    private double parkedArea;     // its largest blob while parked (share of the zone)
    private double parkedFill;     // the largest share of the parked box that was foreground while it stood there
    private Instant parkedSince;
    private Instant parkedUntil;   // last look at which it still stood there
    private Blob lastPile;         // the left-behind blob at the previous look
    private Evidence before;
    private Evidence during;
    private Evidence vehicle;
    private Instant leftAt;
    private int pileLooks;
    private int emptyLooks;
    private Instant busySince;     // IDLE with foreground (but no vehicle) since
    private final List<float[]> warmup = new ArrayList<>(WARMUP_LOOKS);

    public DumpingTracker(CameraSite site, Zone zone, DumpingPolicy policy, PileCheck check, VehicleCheck vehicles) {
        this(site, zone, policy, check, vehicles, VehicleCheckBudget.UNLIMITED);
    }

    /** @param budget shared by the process's trackers: how many vehicle checks they may start (see the budget) */
    public DumpingTracker(CameraSite site, Zone zone, DumpingPolicy policy, PileCheck check, VehicleCheck vehicles,
                          VehicleCheckBudget budget) {
        this.site = site;
        this.zone = zone;
        this.policy = policy;
        this.check = check;
        this.vehicleCheck = vehicles;
        this.budget = budget;
    }

    public State state() {
        return state;
    }

    /**
     * Whether every look counts now, so the zone should get every keyframe ahead of routine looks: a vehicle, or what
     * it left, is in the zone. Not while the followed blob is one the shape rules ({@link #notAVehicle}) already tell
     * from a vehicle: snow or water spreading over the zone, which at 1,000 cameras kept the snow and flood streets'
     * zones hurried and took the decode permits the arriving trucks needed. It is learned into the street when it
     * stops, at the zone's cadence.
     */
    public boolean wantsEveryLook() {
        if (state == State.IDLE) {
            return false;
        }
        return state == State.LEFT || parked != null || vehicleSeen != null || current == null
                || !notAVehicle(arrival, current, nested);
    }

    /**
     * One look at the zone. Returns the candidate when this look completes a dumping event.
     *
     * @throws DetectorException when the classifier cannot confirm a left-behind object
     */
    public Optional<Candidate> observe(Instant at, Mat bgr) throws DetectorException {
        try (PointerScope scope = new PointerScope()) {
            Mat thumb = thumbnail(bgr);
            if (background == null) {
                // The background is the median of the first looks, not the first look: a car passing then would
                // otherwise stay behind as a "vehicle" (its absence differs from the background) and hide the scene.
                float[] px = new float[(int) (thumb.total() * thumb.channels())];
                ((FloatBuffer) thumb.createBuffer()).get(px);
                warmup.add(px);
                if (warmup.size() < WARMUP_LOOKS) {
                    return Optional.empty();
                }
                background = new Mat();
                background.retainReference();
                thumb.copyTo(background);
                ((FloatBuffer) background.createBuffer()).put(medianOf3(warmup.get(0), warmup.get(1), warmup.get(2)));
                warmup.clear();
                rememberQuiet(at, bgr);
                return Optional.empty();
            }
            Mat fg = foreground(thumb);
            double total = countNonZero(fg) / zoneArea;
            List<Component> blobs = components(fg);   // labelled once; every question below reads these
            Blob largest = largestBlob(blobs);
            if (log.isTraceEnabled()) {    // the motion trace, for tuning a camera's zone
                log.trace("camera {} zone {} at {}: {} foreground {} largest {} {}", site.cameraId(), zone.id(), at,
                        state, String.format("%.3f", total), String.format("%.3f", largest.area), largest.thumbBox);
            }
            return switch (state) {
                case IDLE -> idle(at, bgr, thumb, fg, total, largest);
                case VEHICLE -> vehicle(at, bgr, thumb, fg, blobs, largest);
                case LEFT -> left(at, bgr, thumb, fg, blobs, largest);
            };
        }
    }

    private Optional<Candidate> idle(Instant at, Mat bgr, Mat thumb, Mat fg, double total, Blob largest)
            throws DetectorException {
        if (total > policy.lightingChange()) {
            thumb.copyTo(background);      // the light changed or the camera moved: start over from here
            return Optional.empty();
        }
        if (largest.area >= policy.vehicleMinArea()) {
            state = State.VEHICLE;
            arrivedAt = at;
            newTrack();
            before = quiet;
            follow(at, bgr, largest, fg);
            return Optional.empty();
        }
        if (total < policy.pileMinArea()) {
            busySince = null;
        } else if (busySince == null) {
            busySince = at;
        } else if (Duration.between(busySince, at).compareTo(policy.absorbAfter()) >= 0) {
            thumb.copyTo(background);      // it stays: a parked car, an object taken away; part of the scene now
            busySince = null;
            return Optional.empty();
        }
        // Only still pixels follow the scene, so what moves (or just appeared) keeps standing out.
        Mat still = new Mat();
        bitwise_not(fg, still);
        accumulateWeighted(thumb, background, policy.backgroundAlpha(), still);
        if (total < QUIET) {
            rememberQuiet(at, bgr);
        }
        return Optional.empty();
    }

    /**
     * Follows the vehicle's blob from look to look (it shrinks as it drives away from the camera, so no fixed size
     * says "still there"). It must stand still for {@code minDwell}; the event's place is where it stood.
     */
    private Optional<Candidate> vehicle(Instant at, Mat bgr, Mat thumb, Mat fg, List<Component> blobs, Blob largest)
            throws DetectorException {
        Blob blob = overlapping(blobs, track);
        if (blob != null) {
            if (parked == null && iou(track, blob.thumbBox) >= STILL_IOU && ghost(thumb, fg, blob.thumbBox)) {
                // Standing still with no outline of its own: the background has one there, this look has not. What
                // the background learned went away (a lorry that stood past maxDwell, the heap of the last event, a
                // truck that was there when the camera connected). Followed as a vehicle, its absence would hide the
                // zone until maxDwell; the street there is learned again instead.
                log.debug("camera {} zone {}: {} is what went away, not a vehicle; the street there is learned again",
                        site.cameraId(), zone.id(), blob.thumbBox);
                learnAgain(thumb, fg, blob.thumbBox);
                toIdle(null);
                return Optional.empty();
            }
            follow(at, bgr, blob, fg);
            if (parked == null && vehicleSeen == null && vehicleTries >= triesAllowed()) {
                // It stopped, and the detector found no vehicle there in all its tries: a large blob, not a vehicle
                // (a crowd, a shadow, a lorry's load set down by hand). Part of the street now; no event follows.
                log.debug("camera {} zone {}: {} stopped but is no vehicle; the street there is learned again",
                        site.cameraId(), zone.id(), blob.thumbBox);
                learnAgain(thumb, fg, blob.thumbBox);
                toIdle(null);
                return Optional.empty();
            }
            if (parkedLongEnough() && !at.equals(parkedUntil) && intersects(blob.thumbBox, footprint)) {
                // The place where the vehicle stood has emptied: it drove off, and what is still followed there is
                // the heap it left, which touched it (its blob carried over) and may be larger than a far-away truck.
                return vehicleLeft(at, bgr, thumb, fg, blobs, largest, blob);
            }
            if (Duration.between(arrivedAt, at).compareTo(policy.maxDwell()) > 0) {
                log.info("camera {} zone {}: a large object has stood since {}; taken as part of the scene",
                        site.cameraId(), zone.id(), arrivedAt);
                toIdle(thumb);
            }
            return Optional.empty();
        }
        if (parked == null) {
            log.debug("camera {} zone {}: a vehicle passed by", site.cameraId(), zone.id());
            toIdle(null);
            return Optional.empty();
        }
        return vehicleLeft(at, bgr, thumb, fg, blobs, largest, null);
    }

    /**
     * The parked vehicle has gone: from this look on, watch what stays where it stood. {@code heap}: the blob the
     * vehicle's track carried over to (what it left touched it), or null.
     */
    private Optional<Candidate> vehicleLeft(Instant at, Mat bgr, Mat thumb, Mat fg, List<Component> blobs,
                                            Blob largest, Blob heap) throws DetectorException {
        state = State.LEFT;
        leftAt = at;
        pileLooks = 0;
        emptyLooks = 0;
        lastPile = heap;
        return left(at, bgr, thumb, fg, blobs, largest);
    }

    /** The background takes this look's pixels where {@code box} is foreground. */
    private void learnAgain(Mat thumb, Mat fg, Box box) {
        Rect r = new Rect(box.x(), box.y(), box.width(), box.height());
        new Mat(thumb, r).copyTo(new Mat(background, r), new Mat(fg, r));
    }

    private void newTrack() {
        moved = false;
        track = null;
        trackAt = null;
        forgetTrackFrame();
        parked = null;
        parkedArea = 0;
        stoppedAt = null;
        stillLooks = 0;
        vehicleTries = 0;
        lastTry = null;
        vehicleSeen = null;
    }

    /**
     * Detector calls a stop may take: all its tries for a blob that was seen driving in, one (about its first still
     * picture) for a blob that stood still from the look that first showed it. Those are mostly snow and water that
     * spread and stand, which no try will call a vehicle: at 500 cameras, where the bench's snow and flood streets
     * made three of four vehicle checks, the checks held the detector threads half the time. A truck whose arrival
     * a busy machine did not look at is asked about once.
     */
    private int triesAllowed() {
        return moved ? VEHICLE_TRIES : 1;
    }

    /**
     * Where it stands still, the vehicle's place is the box of its blob then. It stands there while that place stays
     * filled: its blob may grow meanwhile (a heap coming out beside it, a car passing in front merges with it) without
     * it moving. The place emptied before {@code minDwell}: it moved on; after: it left (the caller's to see).
     */
    private void follow(Instant at, Mat bgr, Blob blob, Mat fg) throws DetectorException {
        Mat previousFrame = trackFrame;
        trackFrame = null;
        try {
            follow(at, bgr, blob, fg, previousFrame);
        } finally {
            if (previousFrame != null) {
                previousFrame.releaseReference();
            }
        }
        if (state == State.VEHICLE && track == blob.thumbBox && vehicleSeen == null && vehicleTries == 0) {
            // The stop is seen at the next look that repeats this box, but the detector's first try is about this
            // look: the vehicle's first still picture. A tipper looks least like a vehicle once it unloads (the
            // rendered one scores 0.3-0.5 as it stops and nothing two seconds later), and on a busy machine the next
            // look may come later still. One frame per zone that follows a blob not yet asked about.
            trackFrame = bgr.clone();
            trackFrame.retainReference();
        }
    }

    private void follow(Instant at, Mat bgr, Blob blob, Mat fg, Mat previousFrame) throws DetectorException {
        Box previous = track;
        Instant previousAt = trackAt;
        if (previous == null) {
            arrival = blob;
            nested = true;
        } else {
            nested &= intersection(previous, blob.thumbBox) >= NESTED * area(previous);
        }
        current = blob;
        track = blob.thumbBox;
        trackAt = at;
        boolean steady = previous != null && iou(previous, blob.thumbBox) >= STILL_IOU;
        if (previous != null && !steady) {
            moved = true;
        }
        if (parked != null) {
            double fill = fill(fg, parked);
            if (fill >= GONE_SHRINK * parkedFill) {
                parkedUntil = at;
                parkedFill = Math.max(parkedFill, fill);
                if (steady) {              // not while a passing car is merged with it
                    footprint = union(footprint, blob.thumbBox);
                    parkedArea = Math.max(parkedArea, blob.area);
                }
                return;
            }
            if (parkedLongEnough()) {
                return;
            }
            parked = null;                 // a stop too short to unload does not count
            stoppedAt = null;
            stillLooks = 0;
        }
        if (!steady) {
            stoppedAt = null;
            stillLooks = 0;
            return;
        }
        if (stoppedAt == null) {
            // It stood there already at the previous look, whose box this one repeats: its stop began then at the
            // latest. Counting from this look instead lost a whole look interval of the dwell, which on a busy
            // machine (looks 5-10 s apart until the zone is hurried) made a 15 s stop too short to count.
            stoppedAt = previousAt;
        }
        if (++stillLooks < STOP_LOOKS) {
            return;
        }
        // It stands still: the motion gate opens and the detector is asked whether it is a vehicle (once per stop
        // when it is one: a parked vehicle is not asked again).
        if (vehicleSeen == null && vehicleTries == 0 && previousFrame != null) {
            vehicleSeen = lookForVehicle(previousAt, previousFrame, previous);
        }
        if (vehicleSeen == null) {
            vehicleSeen = lookForVehicle(at, bgr, blob.thumbBox);
            if (vehicleSeen == null) {
                return;
            }
        }
        parked = blob.thumbBox;
        footprint = blob.thumbBox;
        parkedSince = stoppedAt;           // it stood from its first still look, however many tries it took to see it
        parkedUntil = at;
        parkedArea = blob.area;
        parkedFill = fill(fg, parked);
        during = EvidenceRenderer.frame("during", at, bgr, zone, vehicleSeen.box());
    }

    /**
     * The object detector on a square around the stopped blob; the vehicle whose box lies mostly in the blob's, or
     * null (not found, or not tried: too soon after the last try, or all tries spent). Sets the vehicle evidence:
     * the detected box, its class and score, and the other vehicles the detector saw in the blob.
     */
    private Detection lookForVehicle(Instant at, Mat bgr, Box thumbBox) throws DetectorException {
        if (vehicleTries >= triesAllowed()
                || (lastTry != null && Duration.between(lastTry, at).compareTo(VEHICLE_RETRY) < 0)) {
            return null;
        }
        if (notAVehicle(arrival, current, nested)) {
            vehicleTries = triesAllowed();    // judged by its shape: no detector call; it is learned as street below
            return null;
        }
        if (!budget.take(vehicleTries == 0)) {
            return null;                      // not a try: asked again at a later look
        }
        Box blobBox = toFrame(thumbBox);
        Box region = square(blobBox, VEHICLE_CONTEXT[vehicleTries], bgr.cols(), bgr.rows());
        vehicleTries++;
        lastTry = at;
        List<Detection> inBlob = new ArrayList<>();
        for (Detection d : vehicleCheck.vehicles(bgr, region)) {
            // Only the part of the vehicle inside the zone makes a blob (a truck at the zone's far edge shows its
            // wheels only); and a blob may be a vehicle with its shadow or a heap beside it: so the overlap is
            // measured on the smaller of the two, the vehicle cut to the zone.
            Box inZone = clip(d.box(), zoneBox);
            double smaller = Math.min((double) inZone.width() * inZone.height(),
                    (double) blobBox.width() * blobBox.height());
            if (VEHICLE_LABELS.contains(d.label()) && smaller > 0
                    && intersection(inZone, blobBox) >= VEHICLE_OVERLAP * smaller) {
                inBlob.add(d);
            }
        }
        if (inBlob.isEmpty()) {
            log.debug("camera {} zone {}: try {} found no vehicle in the blob {} that stopped", site.cameraId(),
                    zone.id(), vehicleTries, blobBox);
            return null;
        }
        Detection best = inBlob.get(0);
        String seen = String.join(", ", inBlob.stream().map(Detection::toString).toList());
        vehicle = EvidenceRenderer.crop("vehicle", at, bgr, best.box()).withDetail(seen);
        log.info("camera {} zone {}: {} stopped at {} (detector try {})", site.cameraId(), zone.id(), seen, best.box(),
                vehicleTries);
        return best;
    }

    /**
     * What a stopped blob cannot be, by its shape alone, so the object detector (~90 ms) is not asked: a blob covering
     * most of the zone ({@link #COVERS_ZONE}), which a vehicle in a no-dumping zone never does (a tipper covers 15-40%),
     * or one that grew where it first appeared ({@code nested}: each look's box held the one before) to
     * {@link #GREW_IN_PLACE} times its size then. Snow and water spread so; a vehicle drives in (its box moves on) and
     * stops, and as it drives away from the camera it shrinks. On the simulator's snow and flood streets these made
     * three of four vehicle checks of a 500-camera run; replaying 20 rendered snow streets at 2 s looks, 53 checks
     * become 19 (SimulatedStreetTest), and none of 20 dumping streets loses its event. What it would wrongly spare: a
     * vehicle first seen as less than half of itself at the zone's edge that then stops there, still covering where it
     * was first seen (the zone should then reach further into the street, so that it is seen driving in).
     */
    static boolean notAVehicle(Blob arrival, Blob now, boolean nested) {
        return now.area >= COVERS_ZONE || nested && now.area >= GREW_IN_PLACE * arrival.area;
    }

    private static Box clip(Box a, Box to) {
        int x = Math.max(a.x(), to.x());
        int y = Math.max(a.y(), to.y());
        return new Box(x, y, Math.max(0, Math.min(a.x() + a.width(), to.x() + to.width()) - x),
                Math.max(0, Math.min(a.y() + a.height(), to.y() + to.height()) - y));
    }

    /**
     * A square of {@code scale} times {@code b}'s longer side, centred on the middle of its top edge (a zone lies on the
     * ground, so its blob is a vehicle's lower part and the vehicle stands up from there), moved (and cut) to fit the
     * frame.
     */
    private static Box square(Box b, double scale, int w, int h) {
        int side = Math.min(Math.min(w, h), (int) Math.round(Math.max(b.width(), b.height()) * scale));
        int x = Math.max(0, Math.min(w - side, b.x() + b.width() / 2 - side / 2));
        int y = Math.max(0, Math.min(h - side, b.y() - side / 2));
        return new Box(x, y, side, side);
    }

    private boolean parkedLongEnough() {
        return parked != null && Duration.between(parkedSince, parkedUntil).compareTo(policy.minDwell()) >= 0;
    }

    /**
     * After the vehicle left: a new object where it stood, the same in consecutive looks (static, not growing
     * like water or snow, not moving like a pedestrian), confirmed by the dumping classifier.
     */
    private Optional<Candidate> left(Instant at, Mat bgr, Mat thumb, Mat fg, List<Component> blobs, Blob largest)
            throws DetectorException {
        Blob pile = leftBehind(blobs, grown(footprint, fg.cols(), fg.rows()));
        boolean same = lastPile != null && iou(lastPile.thumbBox, pile.thumbBox) >= STILL_IOU
                && Math.abs(pile.area - lastPile.area) <= STILL_AREA_CHANGE * lastPile.area;
        // A vehicle again (the same one back, or the next) is vehicle-sized and, where the heap it left may itself be
        // as big as a far-away car, comparable to the vehicle that parked; but not the heap itself, standing still
        // where the vehicle stood (a heap in front of a far truck can be larger than the truck).
        if (largest.area >= Math.max(policy.vehicleMinArea(), GONE_SHRINK * parkedArea)
                && !(same && intersects(largest.thumbBox, pile.thumbBox))) {
            state = State.VEHICLE;
            track = null;
            follow(at, bgr, largest, fg);
            return Optional.empty();
        }
        log.debug("camera {} zone {}: after the vehicle, foreground {} ({} of the zone) where it stood {}",
                site.cameraId(), zone.id(), pile.thumbBox, pile.area, footprint);
        if (pile.area >= policy.pileMinArea()) {
            pileLooks = same ? pileLooks + 1 : 1;
            lastPile = pile;
            emptyLooks = 0;
        } else {
            emptyLooks++;
            pileLooks = 0;
            lastPile = null;
        }
        if (emptyLooks >= policy.confirmations()) {
            log.debug("camera {} zone {}: vehicle left nothing behind", site.cameraId(), zone.id());
            toIdle(null);
            return Optional.empty();
        }
        if (pileLooks >= policy.confirmations()) {
            Box pileBox = toFrame(pile.thumbBox);
            Score s = check.score(bgr, pileBox.withContext(policy.pileContext(), bgr.cols(), bgr.rows()));
            if (!s.positive()) {
                log.info("camera {} zone {}: an object stayed after a vehicle but the dumping classifier says {} < {}",
                        site.cameraId(), zone.id(), s.score(), s.threshold());
                toIdle(thumb);
                return Optional.empty();
            }
            Evidence after = EvidenceRenderer.frame("after", at, bgr, zone, pileBox);
            List<Evidence> evidence = before == null ? List.of(during, after, vehicle) : List.of(before, during, after, vehicle);
            Candidate c = new Candidate(site.cameraId() + "/" + zone.id() + "/dumping/" + arrivedAt.getEpochSecond(),
                    site.cameraId(), zone.id(), IncidentType.DUMPING, site.place(), site.address(), arrivedAt, at,
                    s.score(), evidence);
            toIdle(thumb);     // the pile is now part of the scene: it must not raise a second event
            return Optional.of(c);
        }
        if (Duration.between(leftAt, at).compareTo(policy.afterWindow()) > 0) {
            toIdle(thumb);
        }
        return Optional.empty();
    }

    private void toIdle(Mat absorb) {
        if (absorb != null) {
            absorb.copyTo(background);
        }
        state = State.IDLE;
        busySince = null;
        before = null;
        during = null;
        vehicle = null;
        newTrack();
        footprint = null;
        lastPile = null;
    }

    /**
     * Keeps the quiet zone as its "before" JPEG (30–60 KB), not as a 640x360 picture (691 KB for every camera with a
     * dumping zone, most of a camera's memory); renewed at most every {@link #QUIET_RENEW}, so the JPEG costs little
     * CPU, and "before" is then at most that much older than the last quiet look.
     */
    private void rememberQuiet(Instant at, Mat bgr) {
        if (quietAt != null && !at.isBefore(quietAt) && Duration.between(quietAt, at).compareTo(QUIET_RENEW) < 0) {
            return;
        }
        quiet = EvidenceRenderer.frame("before", at, bgr, zone, null);
        quietAt = at;
    }

    private Mat thumbnail(Mat bgr) {
        if (zoneBox == null) {
            layout(bgr.cols(), bgr.rows());
        }
        Mat small = new Mat();
        resize(new Mat(bgr, new Rect(zoneBox.x(), zoneBox.y(), zoneBox.width(), zoneBox.height())), small, mask.size(),
                0, 0, INTER_AREA);
        // Blur: compression noise and leaves must not read as objects.
        GaussianBlur(small, small, new Size(5, 5), 0);
        Mat f = new Mat();
        small.convertTo(f, CV_32FC3);
        return f;
    }

    /**
     * Pixels that differ from the background in any colour channel. Colour, not grey: a red-brown heap on grey
     * asphalt can have the asphalt's brightness.
     */
    private Mat foreground(Mat thumb) {
        Mat diff = new Mat();
        absdiff(thumb, background, diff);
        MatVector channels = new MatVector();
        split(diff, channels);
        Mat most = new Mat();
        max(channels.get(0), channels.get(1), most);
        max(most, channels.get(2), most);
        Mat bin = new Mat();
        threshold(most, bin, policy.diffThreshold(), 255, THRESH_BINARY);
        Mat fg = new Mat();
        bin.convertTo(fg, CV_8UC1);
        bitwise_and(fg, mask, fg);
        morphologyEx(fg, fg, MORPH_OPEN, getStructuringElement(MORPH_RECT, new Size(3, 3)));
        return fg;
    }

    /**
     * The blob that continues {@code track}: of the blobs big enough to be (part of) a vehicle, the one that overlaps
     * the track's last box the most; null when none does (it left, or was never there).
     */
    private Blob overlapping(List<Component> blobs, Box track) {
        Blob best = null;
        double bestOverlap = 0;
        for (Component c : blobs) {
            double area = c.pixels() / zoneArea;
            if (area < TRACK_MIN_AREA) {
                continue;
            }
            double overlap = intersection(c.box(), track);
            if (overlap > bestOverlap) {
                bestOverlap = overlap;
                best = new Blob(area, c.box());
            }
        }
        return best;
    }

    /**
     * Whether the foreground in {@code box} is a ghost: along its outline the background has edges and this look has
     * not (less than {@link #GHOST_EDGES} of them). A real object brings its outline with it.
     */
    private boolean ghost(Mat thumb, Mat fg, Box box) {
        Rect r = new Rect(box.x(), box.y(), box.width(), box.height());
        Mat outline = new Mat();
        morphologyEx(new Mat(fg, r), outline, MORPH_GRADIENT, getStructuringElement(MORPH_RECT, new Size(3, 3)));
        double now = edges(new Mat(thumb, r), outline);
        double then = edges(new Mat(background, r), outline);
        log.trace("camera {} zone {}: outline of {}: edges now {} in the background {}", site.cameraId(), zone.id(),
                box, now, then);
        return now < GHOST_EDGES * then;
    }

    /** Mean gradient magnitude of a 32F colour image over {@code where}, summed over the channels. */
    private static double edges(Mat image, Mat where) {
        Mat gx = new Mat();
        Mat gy = new Mat();
        Sobel(image, gx, CV_32F, 1, 0);
        Sobel(image, gy, CV_32F, 0, 1);
        Mat magnitude = new Mat();
        magnitude(gx, gy, magnitude);
        Scalar m = mean(magnitude, where);
        return m.get(0) + m.get(1) + m.get(2);
    }

    /** Share of {@code box} that is foreground. */
    private static double fill(Mat fg, Box box) {
        return countNonZero(new Mat(fg, new Rect(box.x(), box.y(), box.width(), box.height())))
                / ((double) box.width() * box.height());
    }

    private static double intersection(Box a, Box b) {
        int w = Math.min(a.x() + a.width(), b.x() + b.width()) - Math.max(a.x(), b.x());
        int h = Math.min(a.y() + a.height(), b.y() + b.height()) - Math.max(a.y(), b.y());
        return w <= 0 || h <= 0 ? 0 : (double) w * h;
    }

    private static double area(Box b) {
        return (double) b.width() * b.height();
    }

    private static double iou(Box a, Box b) {
        double i = intersection(a, b);
        return i / (area(a) + area(b) - i);
    }

    private static float[] medianOf3(float[] a, float[] b, float[] c) {
        float[] m = new float[a.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.max(Math.min(a[i], b[i]), Math.min(Math.max(a[i], b[i]), c[i]));
        }
        return m;
    }

    /** The largest foreground blob: a vehicle. */
    private Blob largestBlob(List<Component> blobs) {
        int bestArea = 0;
        Box best = new Box(0, 0, 0, 0);
        for (Component c : blobs) {
            if (c.pixels() > bestArea) {
                bestArea = c.pixels();
                best = c.box();
            }
        }
        return new Blob(bestArea / zoneArea, best);
    }

    /** The foreground's connected blobs (8-connected, as OpenCV labels them), in label order. */
    private static List<Component> components(Mat fg) {
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int n = connectedComponentsWithStats(fg, labels, stats, centroids);
        List<Component> blobs = new ArrayList<>(Math.max(0, n - 1));
        try (IntIndexer s = stats.createIndexer()) {
            for (int i = 1; i < n; i++) {         // 0 is the background
                blobs.add(new Component(new Box(s.get(i, 0), s.get(i, 1), s.get(i, 2), s.get(i, 3)), s.get(i, 4)));
            }
        }
        return blobs;
    }

    /**
     * What a vehicle left where it stood: every foreground blob that reaches into {@code where}, whole (not cut at
     * its edge), as one object. A heap of bags is several blobs (gaps, colours close to the road's), and waste
     * dropped behind a tipper lies partly outside its footprint; asking the classifier about one fragment of it
     * got "no" (0.05) where the whole heap gets "yes" (0.94).
     */
    private Blob leftBehind(List<Component> blobs, Box where) {
        int area = 0;
        Box union = null;
        for (Component c : blobs) {
            if (c.pixels() < MIN_FRAGMENT || !intersects(c.box(), where)) {
                continue;
            }
            area += c.pixels();
            union = union == null ? c.box() : union(union, c.box());
        }
        return new Blob(area / zoneArea, union == null ? new Box(0, 0, 0, 0) : union);
    }

    private static boolean intersects(Box a, Box b) {
        return intersection(a, b) > 0;
    }

    private void layout(int frameW, int frameH) {
        zoneBox = zone.pixelBounds(frameW, frameH);
        int tw = Math.min(THUMB_WIDTH, zoneBox.width());
        int th = Math.max(8, (int) Math.round((double) tw * zoneBox.height() / zoneBox.width()));
        mask = new Mat(th, tw, CV_8UC1, new Scalar(0.0));
        try (PointerScope scope = new PointerScope()) {
            Mat pts = new Mat(zone.polygon().size(), 1, CV_32SC2);
            try (IntIndexer idx = pts.createIndexer()) {
                for (int i = 0; i < zone.polygon().size(); i++) {
                    Zone.Point p = zone.polygon().get(i);
                    idx.put(i, 0, 0, (int) Math.round((p.x() * frameW - zoneBox.x()) * tw / zoneBox.width()));
                    idx.put(i, 0, 1, (int) Math.round((p.y() * frameH - zoneBox.y()) * th / zoneBox.height()));
                }
            }
            fillPoly(mask, new MatVector(pts), new Scalar(255.0));
        }
        mask.retainReference();     // outlives the PointerScope of the observe() that made it
        zoneArea = Math.max(1, countNonZero(mask));
    }

    private Box toFrame(Box r) {
        double sx = (double) zoneBox.width() / mask.cols();
        double sy = (double) zoneBox.height() / mask.rows();
        return new Box(zoneBox.x() + (int) Math.round(r.x() * sx), zoneBox.y() + (int) Math.round(r.y() * sy),
                Math.max(1, (int) Math.round(r.width() * sx)), Math.max(1, (int) Math.round(r.height() * sy)));
    }

    /** Where to look for what a vehicle left: its footprint and half its size around it. */
    private static Box grown(Box r, int w, int h) {
        int gx = Math.max(2, r.width() / 2);
        int gy = Math.max(2, r.height() / 2);
        int x = Math.max(0, r.x() - gx);
        int y = Math.max(0, r.y() - gy);
        return new Box(x, y, Math.min(w, r.x() + r.width() + gx) - x, Math.min(h, r.y() + r.height() + gy) - y);
    }

    private static Box union(Box a, Box b) {
        int x = Math.min(a.x(), b.x());
        int y = Math.min(a.y(), b.y());
        return new Box(x, y, Math.max(a.x() + a.width(), b.x() + b.width()) - x,
                Math.max(a.y() + a.height(), b.y() + b.height()) - y);
    }

    private void forgetTrackFrame() {
        if (trackFrame != null) {
            trackFrame.releaseReference();
            trackFrame = null;
        }
    }

    @Override
    public void close() {
        forgetTrackFrame();
        if (mask != null) {
            mask.releaseReference();
        }
        if (background != null) {
            background.releaseReference();
        }
    }
}
