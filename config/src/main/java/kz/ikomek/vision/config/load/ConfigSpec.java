package kz.ikomek.vision.config.load;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every configuration key, once: its type, its default and what it is for. The loader reads
 * defaults from here (as YAML text, parsed like user input), rejects keys not declared here, and
 * docs/configuration.md is generated from here ({@link ConfigReference}), so the three cannot drift.
 */
public final class ConfigSpec {

    /** How a key is filled when the user leaves it out. */
    public enum Kind {
        /** A value; {@link Key#defaultYaml()} when absent, or required, or simply unset. */
        VALUE,
        /** A mapping that is always there: absent = all of its defaults. */
        SECTION,
        /** A mapping that switches something on: absent = off. */
        OPTIONAL_SECTION,
        /** A list of mappings. */
        LIST,
        /** A mapping from names the user chooses to lists of mappings. */
        MAP_OF_LISTS
    }

    /** One key. {@code defaultYaml} is null when there is no default (then {@code required} says whether that is an error). */
    public record Key(String name, Kind kind, String type, String defaultYaml, boolean required, String doc, Obj child) {
    }

    /** The keys of one mapping. {@code noun} names an unknown key in errors ("unknown detector 'snw'"). */
    public static final class Obj {
        private final String noun;
        private final Map<String, Key> keys = new LinkedHashMap<>();

        private Obj(String noun) {
            this.noun = noun;
        }

        public String noun() {
            return noun;
        }

        public Key key(String name) {
            Key k = keys.get(name);
            if (k == null) {
                throw new IllegalStateException("key '" + name + "' is not declared in ConfigSpec");
            }
            return k;
        }

        public Set<String> names() {
            return Collections.unmodifiableSet(keys.keySet());
        }

        public Collection<Key> keys() {
            return Collections.unmodifiableCollection(keys.values());
        }

        Obj required(String name, String type, String doc) {
            return add(new Key(name, Kind.VALUE, type, null, true, doc, null));
        }

        Obj value(String name, String type, String defaultYaml, String doc) {
            return add(new Key(name, Kind.VALUE, type, defaultYaml, false, doc, null));
        }

        Obj section(String name, Obj child, String doc) {
            return add(new Key(name, Kind.SECTION, "mapping", null, false, doc, child));
        }

        Obj requiredSection(String name, Obj child, String doc) {
            return add(new Key(name, Kind.SECTION, "mapping", null, true, doc, child));
        }

        Obj optionalSection(String name, Obj child, String doc) {
            return add(new Key(name, Kind.OPTIONAL_SECTION, "mapping", null, false, doc, child));
        }

        Obj list(String name, Obj child, String defaultYaml, boolean required, String doc) {
            return add(new Key(name, Kind.LIST, "list", defaultYaml, required, doc, child));
        }

        Obj mapOfLists(String name, Obj child, String doc) {
            return add(new Key(name, Kind.MAP_OF_LISTS, "mapping of lists", null, false, doc, child));
        }

        private Obj add(Key key) {
            keys.put(key.name(), key);
            return this;
        }
    }

    static Obj obj() {
        return new Obj("key");
    }

    private static final String ALL_DETECTORS = "[snow, flood, open_manhole, dumping]";
    private static final String ALL_MONTHS = "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]";

    public static final Obj RETENTION = obj()
            .value("days", "integer 1..3650", "30", "Evidence older than this many days is deleted.")
            .value("maxBytes", "size (e.g. 500MB, 20GB)", "20GB",
                    "When the evidence takes more than this, the oldest is deleted first.");

    public static final Obj STORAGE = obj()
            .value("dir", "path", "./data",
                    "Directory for the RocksDB state and the evidence JPEGs; relative to the config file.")
            .section("retention", RETENTION, "How long evidence is kept.");

    public static final Obj LOCATION = obj()
            .required("lat", "number -90..90", "Latitude (WGS-84 degrees) of the place the camera looks at.")
            .required("lon", "number -180..180", "Longitude (WGS-84 degrees).")
            .required("address", "text", "Street address sent with incidents (Open311 address_string).")
            .value("district", "text", null, "City district, for filtering in the console.");

    public static final Obj ZONE = obj()
            .required("id", "id (letters, digits, . _ -)", "Zone id, unique within its camera.")
            .required("polygon", "list of [x, y]", "At least 3 points, normalized 0..1 (x right, y down), "
                    + "in order around the zone; edges may not cross.")
            .value("detectors", "list of detector", ALL_DETECTORS,
                    "Which detectors watch this zone: snow, flood, open_manhole, dumping.");

    public static final Obj CAMERA = obj()
            .required("id", "id (letters, digits, . _ -)", "Camera id, unique; the Kafka key in cluster mode.")
            .required("url", "URL (rtsp, rtsps, http, https, file)",
                    "Main stream. May carry credentials (use ${ENV}); they are masked in every message.")
            .value("subStream", "URL", null, "Lower-resolution stream for analysis (e.g. 640x360); "
                    + "used instead of url when set.")
            .value("transport", "tcp | udp", "tcp", "RTSP lower transport; udp only for cameras that cannot "
                    + "interleave over TCP.")
            .requiredSection("location", LOCATION, "Where the camera looks.")
            .list("zones", ZONE, "full-frame", false,
                    "The zones of the image to watch: a list of zones, or the name of a zone preset.");

    public static final Obj CAMERA_CSV = obj()
            .required("csv", "path", "A CSV camera registry, relative to the config file. Header: "
                    + "id,url,lat,lon,address,zones (zones = a zone preset name); optional columns: "
                    + "subStream, transport, district.");

    /** Columns of the CSV camera registry. */
    public static final List<String> CSV_REQUIRED = List.of("id", "url", "lat", "lon", "address", "zones");
    public static final List<String> CSV_OPTIONAL = List.of("subStream", "transport", "district");

    // The same numbers as the detectors' TrackerPolicy.defaults(), which explains them (each K is more
    // than half of its N, so a flickering detector never raises); here they are what a run uses.
    static Obj tracker(int k, int n, String minDuration, String clearDuration) {
        return obj()
                .value("k", "integer 1..1000", String.valueOf(k), "Positive observations needed among the last n.")
                .value("n", "integer 1..1000", String.valueOf(n), "Window of recent observations.")
                .value("minDuration", "duration", minDuration, "How long the condition must last before a candidate; after a first positive the zone is looked at on every sample, so this is about the time to raise.")
                .value("clearDuration", "duration >= 1s", clearDuration, "How long without it before the candidate clears.");
    }

    static Obj detector(String cadence, String months, Obj tracker) {
        return obj()
                .value("enabled", "boolean", "true", "Set false to switch the detector off everywhere.")
                .value("cadence", "duration >= 100ms", cadence, "How often each watched zone is analysed.")
                .value("months", "list of month numbers 1..12", months, "The season: months in which it runs.")
                .value("threshold", "number 0..1", null, "Score above which an observation is positive; "
                        + "unset = the threshold in the model card.")
                .section("tracker", tracker, "Turns per-frame scores into incident candidates.");
    }

    /** One key per incident type: an unknown name is an unknown detector, with a suggestion. */
    public static final Obj DETECTORS = new Obj("detector")
            .section("snow", detector("5m", "[10, 11, 12, 1, 2, 3, 4]", tracker(3, 4, "5m", "30m")),
                    "Uncleared snow on roads and sidewalks.")
            .section("flood", detector("30s", ALL_MONTHS, tracker(4, 5, "1m", "10m")),
                    "Flooding and water pooling.")
            .section("open_manhole", detector("5s", ALL_MONTHS, tracker(4, 5, "8s", "2m")),
                    "Open or missing manhole covers.")
            .section("dumping", detector("2s", ALL_MONTHS, tracker(4, 5, "10s", "10m")),
                    "Trucks dumping waste in no-dumping zones (event tracker: before / during / after).");

    public static final Obj INCIDENTS = obj()
            .value("mergeRadiusMeters", "number 0..10000", "30",
                    "Observations of one type this close to an open incident join it.")
            .value("cooldown", "duration >= 1s", "6h", "A resolved incident re-opens only after this.")
            .value("rejectSuppression", "duration >= 1s", "24h", "A rejected (false) alarm suppresses its key this long.")
            .value("dumpingMergeWindow", "duration >= 1s", "10m", "Dumping events in one zone within this are one incident.");

    public static final Obj KAFKA_DELIVERY = obj()
            .required("bootstrap", "host:port[,host:port...]", "Kafka bootstrap servers.")
            .value("topic", "text", "ikomek.incidents.v1", "Topic for incident changes (CloudEvents JSON).");

    public static final Obj SERVICE_CODES = new Obj("incident type")
            .value("snow", "text", "snow-removal", "Open311 service_code for snow.")
            .value("flood", "text", "storm-drain", "Open311 service_code for flood.")
            .value("open_manhole", "text", "manhole", "Open311 service_code for open_manhole.")
            .value("dumping", "text", "illegal-dumping", "Open311 service_code for dumping.");

    public static final Obj OPEN311 = obj()
            .required("endpoint", "URL (http, https)", "Base URL; requests go to {endpoint}/requests.json.")
            .value("apiKey", "secret", null, "Open311 api_key (use ${ENV}); never printed.")
            .value("submit", "confirmed | detected", "confirmed",
                    "confirmed: after an operator confirms; detected: every new incident at once.")
            .section("serviceCodes", SERVICE_CODES, "service_code per incident type.")
            .value("maxAttempts", "integer 1..1000", "10", "Delivery attempts before an incident is parked.")
            .value("timeout", "duration", "10s", "HTTP timeout per attempt.")
            .value("dispatchOnAccept", "boolean", "true",
                    "When the case system accepts a confirmed incident, it becomes DISPATCHED.")
            .value("mediaBaseUrl", "URL (http, https)", null, "Where the case system can fetch evidence: "
                    + "media_url = {mediaBaseUrl}/{incident id}/evidence/{sha256}; unset = no media_url.");

    public static final Obj DELIVERY = obj()
            .optionalSection("kafka", KAFKA_DELIVERY, "Publish incident changes to Kafka; absent = off.")
            .optionalSection("open311", OPEN311, "Send incidents to the case system; absent = off.");

    public static final Obj USER = obj()
            .required("username", "id (letters, digits, . _ -)", "Login name, unique.")
            .required("role", "operator | police | utility | admin", "What the user may see and do.")
            .value("service", "text", null, "For utility users (required there): the case-system service code "
                    + "they work for, e.g. snow-removal; they see the incidents dispatched to it.")
            .required("passwordHash", "secret", "bcrypt hash ($2a$, $2b$ or $2y$), as made by `ikomek-vision user`; never the password.");

    public static final Obj CONSOLE = obj()
            .value("host", "host name or IP", "127.0.0.1", "Address the web console listens on.")
            .value("port", "integer 1..65535", "8080", "Port of the web console.")
            .list("users", USER, null, false, "Console users defined inline.")
            .value("usersFile", "path", null, "A users file (managed with `ikomek-vision user`); relative to the config file.")
            .value("sessionIdle", "duration >= 1m", "30m", "A login unused this long ends.")
            .value("sessionMax", "duration >= 1m", "12h", "A login ends this long after it began, used or not (a shift).")
            .value("secureCookies", "boolean", "false", "Set when users reach the console over HTTPS "
                    + "(TLS ended in front of it); plain-HTTP localhost needs it off.")
            .value("extraOrigins", "list of origins", "[]", "Origins besides the Host header's that may send "
                    + "state changes, e.g. https://vision.example.kz behind a reverse proxy.")
            .value("allowedHosts", "list of host names", "[]", "Names the console answers to in the Host header, "
                    + "besides `host`, localhost, 127.0.0.1, [::1] and the extraOrigins' hosts (any IP address too when "
                    + "`host` is 0.0.0.0 or ::); other names get 421, which stops DNS-rebinding pages.");

    public static final Obj CLUSTER = obj()
            .required("kafka", "host:port[,host:port...]", "Kafka bootstrap servers of the cluster.")
            .value("camerasTopic", "text", "ikomek.cameras.v1", "Compacted topic of camera records, keyed by camera id.")
            .value("observationsTopic", "text", "ikomek.observations.v1", "Topic of observations, keyed by place.")
            .value("group", "text", "ikomek-vision", "Consumer group all workers join; cameras are shared out "
                    + "among its members.")
            .value("partitions", "integer 1..10000", "60", "Partitions of the topics `run` creates (the camera topic "
                    + "and the ones keyed by place): the most workers that can share the work. 60 divides evenly "
                    + "among 2, 3, 4, 5, 6, 10, 12, 15, 20 or 30 workers. A topic that exists keeps its count (a "
                    + "different one is an error: changing it would move keys between partitions).")
            .value("properties", "mapping of Kafka client settings", "{}", "Passed through to every Kafka client of "
                    + "the worker, for a city's real cluster: e.g. `security.protocol: SASL_SSL`, "
                    + "`sasl.mechanism: SCRAM-SHA-512`, `sasl.jaas.config: ${KAFKA_JAAS}`, `ssl.truststore.location`. "
                    + "Values are never printed. Keys the worker sets itself (bootstrap.servers, group.id, "
                    + "serializers, offsets, assignor) are errors; name them by their own keys above.");

    public static final Obj MODELS = obj()
            .value("dir", "path", null, "Directory of ONNX models and their cards; unset = the bundled models.");

    public static final Obj ROOT = obj()
            .section("storage", STORAGE, "State and evidence.")
            .list("cameras", CAMERA, null, true,
                    "The cameras: a list, or `{ csv: FILE }` for a CSV registry (may be empty in cluster mode).")
            .mapOfLists("zonePresets", ZONE, "Named lists of zones that cameras refer to by name. "
                    + "Built in: `full-frame` (the whole image) and `road` (the lower 45%); both watch every detector.")
            .section("detectors", DETECTORS, "Detector settings per incident type.")
            .section("incidents", INCIDENTS, "Deduplication and lifecycle.")
            .section("delivery", DELIVERY, "Where incidents go.")
            .section("console", CONSOLE, "The web console.")
            .optionalSection("cluster", CLUSTER, "Cluster mode over Kafka; absent = standalone.")
            .section("models", MODELS, "Detection models.");

    /** Zone presets every config has; a user preset of the same name replaces one. */
    public static final Map<String, String> BUILT_IN_PRESETS = builtInPresets();

    private static Map<String, String> builtInPresets() {
        Map<String, String> presets = new LinkedHashMap<>();
        presets.put("full-frame", "[{id: frame, polygon: [[0, 0], [1, 0], [1, 1], [0, 1]]}]");
        presets.put("road", "[{id: road, polygon: [[0.0, 0.55], [1.0, 0.55], [1.0, 1.0], [0.0, 1.0]]}]");
        return Collections.unmodifiableMap(presets);
    }

    private ConfigSpec() {
    }
}
