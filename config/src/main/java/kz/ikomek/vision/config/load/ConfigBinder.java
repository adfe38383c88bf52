package kz.ikomek.vision.config.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import kz.ikomek.vision.config.CameraConfig;
import kz.ikomek.vision.config.ClusterConfig;
import kz.ikomek.vision.config.ConsoleConfig;
import kz.ikomek.vision.config.DeliveryConfig;
import kz.ikomek.vision.config.DetectorSettings;
import kz.ikomek.vision.config.IncidentType;
import kz.ikomek.vision.config.IncidentsConfig;
import kz.ikomek.vision.config.Location;
import kz.ikomek.vision.config.ModelsConfig;
import kz.ikomek.vision.config.Secret;
import kz.ikomek.vision.config.StorageConfig;
import kz.ikomek.vision.config.Urls;
import kz.ikomek.vision.config.VisionConfig;
import kz.ikomek.vision.config.ZoneConfig;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Turns the YAML tree into {@link VisionConfig}, checking every value on the way. A bad value is
 * reported and left out (null or skipped); the caller throws when any problem was found, so a
 * half-built config never escapes.
 */
final class ConfigBinder {
    private static final Duration MIN_CADENCE = Duration.ofMillis(100);
    private static final Map<String, IncidentType> TYPES = wireNames();
    static final Map<String, CameraConfig.Transport> TRANSPORTS = lowerCaseNames(CameraConfig.Transport.class);
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}");

    private final LoadContext ctx;

    ConfigBinder(LoadContext ctx) {
        this.ctx = ctx;
    }

    private static Map<String, IncidentType> wireNames() {
        Map<String, IncidentType> m = new LinkedHashMap<>();
        for (IncidentType t : IncidentType.values()) {
            m.put(t.wireName(), t);
        }
        return m;
    }

    private static <E extends Enum<E>> Map<String, E> lowerCaseNames(Class<E> type) {
        Map<String, E> m = new LinkedHashMap<>();
        for (E e : type.getEnumConstants()) {
            m.put(e.name().toLowerCase(java.util.Locale.ROOT), e);
        }
        return m;
    }

    VisionConfig bind(Node root) {
        Section s = Section.open(ctx, "", ConfigSpec.ROOT, root);
        StorageConfig storage = storage(s.section("storage"));
        Map<String, List<ZoneConfig>> presets = presets(s);
        List<CameraConfig> cameras = cameras(s, presets);
        Map<IncidentType, DetectorSettings> detectors = detectors(s.section("detectors"));
        IncidentsConfig incidents = incidents(s.section("incidents"));
        DeliveryConfig delivery = delivery(s.section("delivery"));
        ConsoleConfig console = console(s.section("console"));
        Optional<ClusterConfig> cluster = s.optionalSection("cluster").map(this::cluster);
        Section models = s.section("models");
        Path modelsDir = models.has("dir") ? models.path("dir") : null;
        return new VisionConfig(storage, cameras, detectors, incidents, delivery, console, cluster,
                new ModelsConfig(Optional.ofNullable(modelsDir)));
    }

    // ---- storage ----

    private StorageConfig storage(Section s) {
        Section r = s.section("retention");
        Integer days = r.integer("days", 1, 3650);
        Long maxBytes = r.size("maxBytes");
        if (maxBytes != null && maxBytes == 0) {
            ctx.problems.add(r.child("maxBytes"), "must be more than 0", r.lineOf("maxBytes"));
        }
        return new StorageConfig(s.path("dir"), new StorageConfig.EvidenceRetention(
                days == null ? 0 : days, maxBytes == null ? 0 : maxBytes));
    }

    // ---- zones and presets ----

    private Map<String, List<ZoneConfig>> builtInPresets() {
        Map<String, List<ZoneConfig>> presets = new LinkedHashMap<>();
        ConfigSpec.BUILT_IN_PRESETS.forEach((name, yaml) -> presets.put(name,
                zones(Section.items(ctx, LoadContext.defaultNode(yaml), "zonePresets." + name))));
        return presets;
    }

    private Map<String, List<ZoneConfig>> presets(Section s) {
        Map<String, List<ZoneConfig>> presets = builtInPresets();
        s.entries("zonePresets").forEach((name, item) ->
                presets.put(name, zones(Section.items(ctx, item.node(), item.path()))));
        return presets;
    }

    /** A preset by name, or null after reporting an unknown one. */
    List<ZoneConfig> preset(String name, Map<String, List<ZoneConfig>> presets, String path, int line) {
        List<ZoneConfig> zones = presets.get(name);
        if (zones == null) {
            ctx.problems.add(path, "unknown zone preset " + Problems.echo(name)
                    + Suggestions.hint(name, presets.keySet()), line);
        }
        return zones;
    }

    private List<ZoneConfig> zones(List<Section.Item> items) {
        List<ZoneConfig> zones = new ArrayList<>();
        Map<String, String> firstAt = new HashMap<>();
        for (Section.Item item : items) {
            Section z = Section.open(ctx, item.path(), ConfigSpec.ZONE, item.node());
            String id = z.id("id");
            List<ZoneConfig.Point> polygon = polygon(z.node("polygon"), z.child("polygon"));
            List<IncidentType> detectors = detectorNames(z.node("detectors"), z.child("detectors"));
            if (id != null) {
                String first = firstAt.putIfAbsent(id, item.path());
                if (first != null) {
                    ctx.problems.add(z.child("id"), "duplicate zone id '" + id + "' (first at " + first + ")",
                            z.lineOf("id"));
                }
            }
            zones.add(new ZoneConfig(id, polygon, detectors));
        }
        return zones;
    }

    private List<ZoneConfig.Point> polygon(Node node, String path) {
        if (node == null) {
            return List.of();
        }
        int before = ctx.problems.size();
        List<Section.Item> items = Section.items(ctx, node, path);
        List<ZoneConfig.Point> points = new ArrayList<>();
        for (Section.Item item : items) {
            if (!(item.node() instanceof SequenceNode xy) || xy.getValue().size() != 2) {
                ctx.problems.add(item.path(), "expected a point [x, y], got " + LoadContext.describe(item.node()),
                        item.line());
                continue;
            }
            Double x = coordinate(xy.getValue().get(0), item.path(), "x");
            Double y = coordinate(xy.getValue().get(1), item.path(), "y");
            if (x != null && y != null) {
                points.add(new ZoneConfig.Point(x, y));
            }
        }
        if (node instanceof SequenceNode && items.size() < 3) {
            ctx.problems.add(path, "needs at least 3 points, got " + items.size(), LoadContext.line(node));
        }
        // Geometry only on a polygon that is otherwise fine, so one mistake is one problem.
        if (ctx.problems.size() == before) {
            int[] crossing = Polygons.firstCrossing(points);
            if (crossing != null) {
                int n = points.size();
                ctx.problems.add(path, "edges cross (" + crossing[0] + "->" + (crossing[0] + 1) % n + " and "
                        + crossing[1] + "->" + (crossing[1] + 1) % n + "); list the points in order around the zone",
                        LoadContext.line(node));
            } else if (Polygons.doubleArea(points) == 0) {
                ctx.problems.add(path, "has no area (all points on one line)", LoadContext.line(node));
            }
        }
        return points;
    }

    private Double coordinate(Node n, String path, String axis) {
        Double v = ctx.number(n, path, -Double.MAX_VALUE, Double.MAX_VALUE);
        if (v != null && (v < 0 || v > 1)) {
            ctx.problems.add(path, axis + " must be within 0..1 (normalized), got " + LoadContext.fmt(v),
                    LoadContext.line(n));
            return null;
        }
        return v;
    }

    private List<IncidentType> detectorNames(Node node, String path) {
        Set<IncidentType> types = new LinkedHashSet<>();
        List<Section.Item> items = Section.items(ctx, node, path);
        for (Section.Item item : items) {
            IncidentType t = ctx.choice(item.node(), item.path(), TYPES, "detector");
            if (t != null) {
                types.add(t);
            }
        }
        if (node instanceof SequenceNode && items.isEmpty()) {
            ctx.problems.add(path, "lists no detectors; leave the key out to watch with all of them",
                    LoadContext.line(node));
        }
        return List.copyOf(types);
    }

    // ---- cameras ----

    private List<CameraConfig> cameras(Section s, Map<String, List<ZoneConfig>> presets) {
        Node node = s.node("cameras");
        List<CameraCsv.Row> rows = new ArrayList<>();
        if (node instanceof MappingNode) {
            Section csv = s.open(new Section.Item("cameras", node), ConfigSpec.CAMERA_CSV);
            Path file = csv.path("csv");
            if (file != null) {
                // Named as the user would find it: relative to the config file when it lies below it.
                String shown = (file.startsWith(ctx.baseDir) ? ctx.baseDir.relativize(file) : file).toString();
                rows = new CameraCsv(ctx, this, presets).read(file, shown, csv.child("csv"), LoadContext.line(node));
            }
        } else {
            for (Section.Item item : Section.items(ctx, node, "cameras")) {
                rows.add(camera(s.open(item, ConfigSpec.CAMERA), presets));
            }
        }
        Map<String, String> firstAt = new HashMap<>();
        List<CameraConfig> cameras = new ArrayList<>(rows.size());
        for (CameraCsv.Row row : rows) {
            CameraConfig c = row.camera();
            if (c.id() != null) {
                String first = firstAt.putIfAbsent(c.id(), row.where());
                if (first != null) {
                    ctx.problems.add(row.idPath(), "duplicate camera id '" + c.id() + "' (first at " + first + ")",
                            row.line());
                }
            }
            cameras.add(c);
        }
        return cameras;
    }

    /** One camera on its own (a record of the cluster's camera topic), with the built-in presets only. */
    CameraConfig camera(Node node, String path) {
        return camera(Section.open(ctx, path, ConfigSpec.CAMERA, node), builtInPresets()).camera();
    }

    private CameraCsv.Row camera(Section c, Map<String, List<ZoneConfig>> presets) {
        String id = c.id("id");
        String url = c.url("url", CameraUrls.CAMERA_SCHEMES);
        String sub = c.has("subStream") ? c.url("subStream", CameraUrls.CAMERA_SCHEMES) : null;
        CameraConfig.Transport transport = c.choice("transport", TRANSPORTS, "transport");
        Section loc = c.section("location");
        Double lat = loc.number("lat", -90, 90);
        Double lon = loc.number("lon", -180, 180);
        String address = loc.text("address");
        String district = loc.has("district") ? loc.text("district") : null;
        Node zonesNode = c.node("zones");
        List<ZoneConfig> zones;
        if (zonesNode instanceof ScalarNode) {
            String name = ctx.text(zonesNode, c.child("zones"), "a zone preset name");
            zones = name == null ? null : preset(name.trim(), presets, c.child("zones"), LoadContext.line(zonesNode));
        } else {
            zones = zones(Section.items(ctx, zonesNode, c.child("zones")));
        }
        Location location = new Location(lat == null ? 0 : lat, lon == null ? 0 : lon, address,
                Optional.ofNullable(district));
        CameraConfig camera = new CameraConfig(id, url, Optional.ofNullable(sub), transport, location,
                zones == null ? List.of() : zones);
        return new CameraCsv.Row(camera, c.path(), c.child("id"), c.lineOf("id"));
    }

    // ---- detectors ----

    private Map<IncidentType, DetectorSettings> detectors(Section s) {
        Map<IncidentType, DetectorSettings> detectors = new EnumMap<>(IncidentType.class);
        for (IncidentType type : IncidentType.values()) {
            Section d = s.section(type.wireName());
            Boolean enabled = d.bool("enabled");
            Duration cadence = d.duration("cadence", MIN_CADENCE);
            Set<Integer> months = months(d);
            Double threshold = d.has("threshold") ? d.number("threshold", 0, 1) : null;
            Section t = d.section("tracker");
            Integer k = t.integer("k", 1, 1000);
            Integer n = t.integer("n", 1, 1000);
            if (k != null && n != null && k > n) {
                ctx.problems.add(t.child("k"), "must not exceed n (" + n + "), got " + k, t.lineOf("k"));
            }
            DetectorSettings.TrackerSettings tracker = new DetectorSettings.TrackerSettings(
                    k == null ? 0 : k, n == null ? 0 : n,
                    t.duration("minDuration", Duration.ZERO), t.duration("clearDuration", Duration.ofSeconds(1)));
            detectors.put(type, new DetectorSettings(type, enabled == null || enabled, cadence, months,
                    threshold == null ? OptionalDouble.empty() : OptionalDouble.of(threshold), tracker));
        }
        return detectors;
    }

    private Set<Integer> months(Section d) {
        Node node = d.node("months");
        Set<Integer> months = new TreeSet<>();
        List<Section.Item> items = Section.items(ctx, node, d.child("months"));
        for (Section.Item item : items) {
            Integer m = ctx.integer(item.node(), item.path(), 1, 12);
            if (m != null) {
                months.add(m);
            }
        }
        if (node instanceof SequenceNode && items.isEmpty()) {
            ctx.problems.add(d.child("months"), "must name at least one month (1..12)", LoadContext.line(node));
        }
        return months;
    }

    // ---- incidents, delivery, console, cluster ----

    private IncidentsConfig incidents(Section s) {
        Double radius = s.number("mergeRadiusMeters", 0, 10_000);
        Duration second = Duration.ofSeconds(1);
        return new IncidentsConfig(radius == null ? 0 : radius, s.duration("cooldown", second),
                s.duration("rejectSuppression", second), s.duration("dumpingMergeWindow", second));
    }

    private DeliveryConfig delivery(Section s) {
        Optional<DeliveryConfig.Kafka> kafka = s.optionalSection("kafka")
                .map(k -> new DeliveryConfig.Kafka(k.hostPorts("bootstrap"), k.text("topic")));
        Optional<DeliveryConfig.Open311> open311 = s.optionalSection("open311").map(o -> {
            Section codes = o.section("serviceCodes");
            Map<IncidentType, String> serviceCodes = new EnumMap<>(IncidentType.class);
            for (IncidentType t : IncidentType.values()) {
                serviceCodes.put(t, codes.text(t.wireName()));
            }
            Integer maxAttempts = o.integer("maxAttempts", 1, 1000);
            Boolean dispatchOnAccept = o.bool("dispatchOnAccept");
            return new DeliveryConfig.Open311(httpUrl(o, "endpoint"),
                    Optional.ofNullable(o.has("apiKey") ? o.secret("apiKey") : null),
                    o.choice("submit", lowerCaseNames(DeliveryConfig.Submit.class), "submit policy"),
                    serviceCodes, maxAttempts == null ? 0 : maxAttempts, o.duration("timeout", MIN_CADENCE),
                    dispatchOnAccept == null || dispatchOnAccept,
                    Optional.ofNullable(o.has("mediaBaseUrl") ? httpUrl(o, "mediaBaseUrl") : null));
        });
        return new DeliveryConfig(kafka, open311);
    }

    /** An http(s) URL that java.net.URI also takes, as the HTTP client will need it. */
    private String httpUrl(Section s, String key) {
        String url = s.url(key, CameraUrls.HTTP_SCHEMES);
        if (url != null) {
            try {
                new java.net.URI(url);
            } catch (java.net.URISyntaxException e) {
                ctx.problems.add(s.child(key), "not a valid URL (" + e.getReason() + "): " + Urls.mask(url),
                        s.lineOf(key));
                return null;
            }
        }
        return url;
    }

    private ConsoleConfig console(Section s) {
        String host = s.text("host");
        // A bare IPv6 address ("::") is a fine address to listen on, unlike in a URL.
        if (host != null && !host.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*") && HostPort.hostProblem(host) != null) {
            ctx.problems.add(s.child("host"), HostPort.hostProblem(host), LoadContext.line(s.node("host")));
        }
        Integer port = s.integer("port", 1, 65535);
        List<ConsoleConfig.User> users = new ArrayList<>();
        Map<String, String> firstAt = new HashMap<>();
        for (Section.Item item : s.list("users")) {
            Section u = s.open(item, ConfigSpec.USER);
            String name = u.id("username");
            if (name != null && firstAt.putIfAbsent(name, item.path()) != null) {
                ctx.problems.add(u.child("username"), "duplicate user '" + name + "' (first at "
                        + firstAt.get(name) + ")", u.lineOf("username"));
            }
            ConsoleConfig.Role role = u.choice("role", lowerCaseNames(ConsoleConfig.Role.class), "role");
            Secret hash = u.secret("passwordHash");
            if (hash != null && !BCRYPT.matcher(hash.reveal()).matches()) {
                // Never echo it: a plain password here is the likely mistake.
                ctx.problems.add(u.child("passwordHash"), "must be a bcrypt hash ($2a$, $2b$ or $2y$, 60 characters; "
                        + "make one with `ikomek-vision user`)", u.lineOf("passwordHash"));
            }
            String service = u.has("service") ? u.text("service") : null;
            if (role == ConsoleConfig.Role.UTILITY && !u.has("service")) {
                ctx.problems.add(u.child("service"), "a utility user needs the service code they work for, "
                        + "e.g. snow-removal", u.line());
            }
            users.add(new ConsoleConfig.User(name, role, Optional.ofNullable(service), hash));
        }
        Path usersFile = s.has("usersFile") ? s.path("usersFile") : null;
        Set<String> origins = new LinkedHashSet<>();
        for (Section.Item item : Section.items(ctx, s.node("extraOrigins"), s.child("extraOrigins"))) {
            String origin = ctx.nonBlank(item.node(), item.path());
            String reason = origin == null ? null : CameraUrls.problem(origin, CameraUrls.HTTP_SCHEMES);
            if (reason != null) {
                ctx.problems.add(item.path(), reason, item.line());
            } else if (origin != null) {
                origins.add(origin);
            }
        }
        Set<String> allowedHosts = new LinkedHashSet<>();
        for (Section.Item item : Section.items(ctx, s.node("allowedHosts"), s.child("allowedHosts"))) {
            String name = ctx.nonBlank(item.node(), item.path());
            String reason = name == null ? null : HostPort.hostProblem(name);
            if (reason != null) {
                ctx.problems.add(item.path(), reason, item.line());
            } else if (name != null) {
                allowedHosts.add(name.toLowerCase(java.util.Locale.ROOT));
            }
        }
        Duration minute = Duration.ofMinutes(1);
        Boolean secure = s.bool("secureCookies");
        return new ConsoleConfig(host, port == null ? 0 : port, users, Optional.ofNullable(usersFile),
                s.duration("sessionIdle", minute), s.duration("sessionMax", minute), secure != null && secure, origins,
                allowedHosts);
    }

    private ClusterConfig cluster(Section s) {
        Integer partitions = s.integer("partitions", 1, 10_000);
        return new ClusterConfig(s.hostPorts("kafka"), s.text("camerasTopic"), s.text("observationsTopic"),
                s.text("group"), partitions == null ? 0 : partitions, kafkaProperties(s));
    }

    /** {@code cluster.properties}: Kafka client settings by their own names, each checked against Kafka's list. */
    private Map<String, Secret> kafkaProperties(Section s) {
        Node n = s.node("properties");
        String path = s.child("properties");
        Map<String, Secret> out = new LinkedHashMap<>();
        if (LoadContext.isNull(n)) {
            return out;
        }
        if (!(n instanceof MappingNode m)) {
            ctx.problems.add(path, "expected a mapping of Kafka client settings, got " + LoadContext.describe(n),
                    LoadContext.line(n));
            return out;
        }
        for (org.yaml.snakeyaml.nodes.NodeTuple t : m.getValue()) {
            String name = ctx.nonBlank(t.getKeyNode(), path);
            if (name == null) {
                continue;
            }
            String at = path + "." + name;
            int line = LoadContext.line(t.getKeyNode());
            String own = KafkaSettings.OWN.get(name);
            if (own != null) {
                ctx.problems.add(at, "set by the worker itself; " + own, line);
            } else if (!KafkaSettings.CLIENT.contains(name)) {
                ctx.problems.add(at, "not a Kafka client setting" + Suggestions.closest(name, KafkaSettings.CLIENT)
                        .map(c -> ", did you mean " + c + "?").orElse(" (see the Kafka documentation of "
                                + "producer, consumer and admin client configs)"), line);
            } else if (out.containsKey(name)) {
                ctx.problems.add(at, "duplicate key", line);
            } else if (!(t.getValueNode() instanceof ScalarNode)) {
                // Never echo the value: it may be a password.
                ctx.problems.add(at, "expected a single value", LoadContext.line(t.getValueNode()));
            } else {
                String value = ctx.text(t.getValueNode(), at, "a value");
                if (value != null) {
                    out.put(name, Secret.of(value));
                }
            }
        }
        return out;
    }
}
