package dev.hir.bigbench.families;

import dev.hir.api.Example;
import dev.hir.api.ExampleGenerator;
import dev.hir.api.LatentState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates geometric_shapes questions: an SVG path drawn the ways the real data draws them, and the real option
 * lists (ten shapes, plus "trapezoid" or "ellipse" as an eleventh when that is the answer).
 *
 * <p>What the real golds mean, and the solver follows: a closed path of straight segments is named by its number
 * of distinct points (3 triangle … 8 octagon); four points are a "kite" when two pairs of adjacent sides are equal
 * and otherwise a "trapezoid" (the real trapezoids are all parallelograms or rectangles, never labelled
 * "rectangle"); two arcs back to the start are an "ellipse" (every real one has equal radii, yet none is labelled
 * "circle"); a segment, an arc and a segment back to the centre are a "sector"; two points are a "line".
 *
 * <p>Levels: 0 only shapes named by their command letters (line, sector, ellipse); 1 adds polygons drawn with a
 * single {@code M}, so the answer is the number of {@code L}s; 2 is the BBH distribution, where most paths restart
 * with {@code M} at the previous point so points repeat and must be counted once. Latent states: after every
 * drawing command, the distinct points and arcs so far; on the whole path, the shape.
 */
public final class GeometricShapesGenerator implements ExampleGenerator {

    /** The family name. */
    public static final String FAMILY = "geometric_shapes";

    static final List<String> BASE_OPTIONS = List.of(
            "circle", "heptagon", "hexagon", "kite", "line", "octagon", "pentagon", "rectangle", "sector", "triangle");
    private static final Map<String, Integer> SIDES =
            Map.of("triangle", 3, "pentagon", 5, "hexagon", 6, "heptagon", 7, "octagon", 8);
    /** The shapes answered with the ten base options, in the real data about equally often (21–32 of 200 each). */
    static final List<String> BASE_ANSWERS = List.of(
            "heptagon", "hexagon", "kite", "line", "octagon", "pentagon", "sector", "triangle");

    private static final int LEVELS = 3;
    /** In the real data 25 of 250 are ellipses and 25 more trapezoids, each with its own eleventh option. */
    static final double BBH_ELEVENTH_OPTION_SHARE = 0.1;
    /** About a quarter of the real paths use whole-number coordinates (57 of 250), always in a single M. */
    static final double BBH_WHOLE_NUMBER_SHARE = 0.23;
    /** Chance that a straight segment of a fragmented path restarts with "M" at its own start point. */
    static final double BBH_RESTART_CHANCE = 0.45;

    private static final Pattern HEAD = Pattern.compile("This SVG path element <path d=\"([^\"]*)\"/> draws a");
    private static final String NUM = "-?\\d+\\.\\d{2}";
    private static final String PT = NUM + "," + NUM;
    private static final Pattern COMMAND = Pattern.compile(
            "([ML]) (" + PT + ")|A (" + NUM + "),(" + NUM + ") (" + NUM + ") ([01]),([01]) (" + PT + ")");

    private final double restartChance;
    private final double wholeNumberShare;

    /** The BBH setting. */
    public GeometricShapesGenerator() {
        this(BBH_RESTART_CHANCE, BBH_WHOLE_NUMBER_SHARE);
    }

    /**
     * @param restartChance at level 2, the chance that a straight segment of a fractional-coordinate path restarts
     *     with {@code M} at the previous point (0 gives single-M paths; the distractor the real data uses)
     * @param wholeNumberShare share of paths with whole-number coordinates, which the real data never fragments
     * @throws IllegalArgumentException if either is outside [0, 1]
     */
    public GeometricShapesGenerator(double restartChance, double wholeNumberShare) {
        if (!(restartChance >= 0 && restartChance <= 1) || !(wholeNumberShare >= 0 && wholeNumberShare <= 1)) {
            throw new IllegalArgumentException("chances must be in [0, 1]: " + restartChance + ", " + wholeNumberShare);
        }
        this.restartChance = restartChance;
        this.wholeNumberShare = wholeNumberShare;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public int levels() {
        return LEVELS;
    }

    @Override
    public int defaultLevel() {
        return LEVELS - 1;
    }

    @Override
    public Example generate(int level, Random random) {
        MultipleChoice.checkLevel(level, LEVELS);
        String shape = switch (level) {
            case 0 -> List.of("line", "sector", "ellipse").get(random.nextInt(3));
            case 1 -> {
                double u = random.nextDouble();
                yield u < 0.1 ? "ellipse" : u < 0.2 ? "trapezoid" : BASE_ANSWERS.get(random.nextInt(BASE_ANSWERS.size()));
            }
            default -> {
                double u = random.nextDouble();
                yield u < BBH_ELEVENTH_OPTION_SHARE ? "ellipse"
                        : u < 2 * BBH_ELEVENTH_OPTION_SHARE ? "trapezoid"
                        : BASE_ANSWERS.get(random.nextInt(BASE_ANSWERS.size()));
            }
        };
        boolean whole = random.nextDouble() < wholeNumberShare;
        double restart = level == 2 && !whole ? restartChance : 0;
        String path = switch (shape) {
            case "line" -> line(random, whole);
            case "sector" -> sector(random, whole, restart);
            case "ellipse" -> ellipse(random, whole);
            default -> polygon(shape, random, whole, restart);
        };
        List<String> options = options(shape);
        String prefix = "This SVG path element <path d=\"";
        String stem = prefix + path + "\"/> draws a";
        List<LatentState> states = new ArrayList<>(trace(path, prefix.length()));
        states.add(new LatentState(prefix.length(), prefix.length() + path.length(), Map.of("shape", shape)));
        return MultipleChoice.example(FAMILY, level, stem, options, options.indexOf(shape), states);
    }

    static List<String> options(String answer) {
        List<String> options = new ArrayList<>(BASE_OPTIONS);
        if (answer.equals("trapezoid") || answer.equals("ellipse")) {
            options.add(answer);
        }
        return options;
    }

    // ---- drawing ----------------------------------------------------------------------------------------------

    private record P(double x, double y) {
        P plus(double dx, double dy) {
            return new P(x + dx, y + dy);
        }
    }

    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.equals("-0.00") ? "0.00" : s;
    }

    private static String fmt(P p) {
        return fmt(p.x()) + "," + fmt(p.y());
    }

    private static P round(P p) {
        return new P(Math.round(p.x() * 100) / 100.0, Math.round(p.y() * 100) / 100.0);
    }

    private static P randomPoint(Random r, boolean whole, double margin) {
        double x = margin + r.nextDouble() * (100 - 2 * margin);
        double y = margin + r.nextDouble() * (100 - 2 * margin);
        return whole ? new P(Math.round(x), Math.round(y)) : round(new P(x, y));
    }

    private static String line(Random r, boolean whole) {
        P a = randomPoint(r, whole, 0);
        P b;
        do {
            b = randomPoint(r, whole, 0);
        } while (Math.hypot(a.x() - b.x(), a.y() - b.y()) < 5);
        return "M " + fmt(a) + " L " + fmt(b);
    }

    private static String ellipse(Random r, boolean whole) {
        double radius = whole ? 10 + r.nextInt(21) : 3 + r.nextDouble() * 29;
        radius = Math.round(radius * 100) / 100.0;
        P c = randomPoint(r, whole, radius + 1);
        double angle = whole ? 0 : r.nextDouble() * 360;
        double rad = Math.toRadians(angle);
        P a = round(c.plus(radius * Math.cos(rad), radius * Math.sin(rad)));
        P b = round(c.plus(-radius * Math.cos(rad), -radius * Math.sin(rad)));
        String arc = "A " + fmt(radius) + "," + fmt(radius) + " " + fmt(angle) + " 1,0 ";
        return "M " + fmt(a) + " " + arc + fmt(b) + " " + arc + fmt(a);
    }

    private static String sector(Random r, boolean whole, double restart) {
        double radius = whole ? 10 + r.nextInt(20) : 8 + r.nextDouble() * 22;
        radius = Math.round(radius * 100) / 100.0;
        P c = randomPoint(r, whole, radius + 1);
        double from = whole && r.nextBoolean() ? 0 : r.nextDouble() * 2 * Math.PI;
        double to = from + (0.3 + r.nextDouble() * 2.2) * (r.nextBoolean() ? 1 : -1);
        P a = round(c.plus(radius * Math.cos(from), radius * Math.sin(from)));
        P b = round(c.plus(radius * Math.cos(to), radius * Math.sin(to)));
        String rotation = whole ? "0.00" : fmt(r.nextDouble() * 360);
        // Real sectors restart half as often as polygon segments (6 of 27 fractional ones).
        String restartAt = r.nextDouble() < restart / 2 ? " M " + fmt(a) : "";
        return "M " + fmt(c) + " L " + fmt(a) + restartAt + " A " + fmt(radius) + "," + fmt(radius) + " " + rotation
                + " 0,1 " + fmt(b) + " L " + fmt(c);
    }

    private static String polygon(String shape, Random r, boolean whole, double restart) {
        List<P> points;
        do {
            points = switch (shape) {
                case "kite" -> kite(r, whole);
                case "trapezoid" -> parallelogram(r, whole);
                default -> starShaped(SIDES.get(shape), r, whole);
            };
        } while (!solvePolygon(points, true).equals(Optional.of(shape)));
        var sb = new StringBuilder("M ").append(fmt(points.get(0)));
        for (int i = 1; i <= points.size(); i++) {
            P p = points.get(i % points.size());
            if (i > 1 && r.nextDouble() < restart) {
                sb.append(" M ").append(fmt(points.get(i - 1)));
            }
            sb.append(" L ").append(fmt(p));
        }
        return sb.toString();
    }

    /** {@code n} points around a centre in angular order, so the path is a simple polygon. */
    private static List<P> starShaped(int n, Random r, boolean whole) {
        double size = 14 + r.nextDouble() * 34;
        P c = randomPoint(r, false, size + 2);
        double[] angles = new double[n];
        for (int i = 0; i < n; i++) {
            angles[i] = r.nextDouble() * 2 * Math.PI;
        }
        java.util.Arrays.sort(angles);
        double start = r.nextDouble();
        List<P> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double radius = size * (0.35 + 0.65 * r.nextDouble());
            P p = c.plus(radius * Math.cos(angles[i] + start), radius * Math.sin(angles[i] + start));
            points.add(whole ? new P(Math.round(p.x()), Math.round(p.y())) : round(p));
        }
        return points;
    }

    /** Apex, side point, far apex, mirrored side point: two pairs of equal adjacent sides. */
    private static List<P> kite(Random r, boolean whole) {
        double length = 6 + r.nextDouble() * 20;
        double at = length * (0.2 + 0.5 * r.nextDouble());
        double half = length * (0.15 + 0.35 * r.nextDouble());
        double angle = whole ? Math.PI / 2 * r.nextInt(4) : r.nextDouble() * 2 * Math.PI;
        if (whole) {
            length = Math.round(length);
            at = Math.round(at);
            half = Math.max(1, Math.round(half));
        }
        double ux = Math.cos(angle);
        double uy = Math.sin(angle);
        P apex = randomPoint(r, whole, 30);
        List<P> points = List.of(apex,
                apex.plus(at * ux - half * uy, at * uy + half * ux),
                apex.plus(length * ux, length * uy),
                apex.plus(at * ux + half * uy, at * uy - half * ux));
        return points.stream().map(p -> whole ? new P(Math.round(p.x()), Math.round(p.y())) : round(p)).toList();
    }

    /** A rectangle or parallelogram, as the real "trapezoid" answers are. */
    private static List<P> parallelogram(Random r, boolean whole) {
        if (whole) {
            P a = randomPoint(r, true, 5);
            P c = randomPoint(r, true, 5);
            return List.of(a, new P(c.x(), a.y()), c, new P(a.x(), c.y()));
        }
        double angle = r.nextDouble() * 2 * Math.PI;
        double skew = r.nextBoolean() ? Math.PI / 2 : Math.PI / 2 + (r.nextDouble() - 0.5);
        double w = 1 + r.nextDouble() * 30;
        double h = 5 + r.nextDouble() * 25;
        P a = randomPoint(r, false, 35);
        P b = a.plus(w * Math.cos(angle), w * Math.sin(angle));
        P d = a.plus(h * Math.cos(angle + skew), h * Math.sin(angle + skew));
        P c = b.plus(d.x() - a.x(), d.y() - a.y());
        return List.of(round(a), round(b), round(c), round(d));
    }

    /** Latent states: after each drawing command, the distinct points and arcs drawn so far. */
    private static List<LatentState> trace(String path, int offset) {
        List<LatentState> states = new ArrayList<>();
        Set<String> points = new HashSet<>();
        int arcs = 0;
        Matcher m = COMMAND.matcher(path);
        while (m.find()) {
            if (m.group(1) != null) {
                points.add(m.group(2));
                if (m.group(1).equals("M")) {
                    continue;
                }
            } else {
                arcs++;
                points.add(m.group(8));
            }
            Map<String, String> values = new LinkedHashMap<>();
            values.put("points", Integer.toString(points.size()));
            values.put("arcs", Integer.toString(arcs));
            states.add(new LatentState(offset + m.start(), offset + m.end(), values));
        }
        return states;
    }

    // ---- solving ----------------------------------------------------------------------------------------------

    /** The commands of a path if it is written only with the real data's M/L/A forms. */
    private record Command(char kind, P to) {}

    private static Optional<List<Command>> commands(String path) {
        List<Command> out = new ArrayList<>();
        Matcher m = COMMAND.matcher(path);
        int at = 0;
        while (m.find()) {
            if (m.start() != at) {
                return Optional.empty();
            }
            at = m.end() + 1;
            if (m.group(1) != null) {
                out.add(new Command(m.group(1).charAt(0), point(m.group(2))));
            } else {
                out.add(new Command('A', point(m.group(8))));
            }
        }
        return at == path.length() + 1 && !out.isEmpty() ? Optional.of(out) : Optional.empty();
    }

    private static P point(String text) {
        String[] xy = text.split(",");
        return new P(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
    }

    /** The shape a path draws, by the real data's naming (see the class comment). */
    static Optional<String> shapeOf(String path) {
        return commands(path).flatMap(cmds -> {
            long arcs = cmds.stream().filter(c -> c.kind() == 'A').count();
            long lines = cmds.stream().filter(c -> c.kind() == 'L').count();
            if (arcs > 0) {
                return Optional.of(lines == 0 ? "ellipse" : "sector");
            }
            List<P> distinct = new ArrayList<>();
            for (Command c : cmds) {
                if (!distinct.contains(c.to())) {
                    distinct.add(c.to());
                }
            }
            if (distinct.size() == 2) {
                return Optional.of("line");
            }
            return solvePolygon(distinct, false);
        });
    }

    private static Optional<String> solvePolygon(List<P> points, boolean strict) {
        if (points.size() < 3 || points.size() > 8 || new HashSet<>(points).size() != points.size()) {
            return Optional.empty();
        }
        if (points.size() != 4) {
            return Optional.of(List.of("triangle", "", "pentagon", "hexagon", "heptagon", "octagon")
                    .get(points.size() - 3)).filter(s -> !s.isEmpty());
        }
        double[] side = new double[4];
        for (int i = 0; i < 4; i++) {
            P a = points.get(i);
            P b = points.get((i + 1) % 4);
            side[i] = Math.hypot(a.x() - b.x(), a.y() - b.y());
        }
        double tolerance = 0.05;
        boolean kite = Math.abs(side[0] - side[3]) < tolerance && Math.abs(side[1] - side[2]) < tolerance
                || Math.abs(side[0] - side[1]) < tolerance && Math.abs(side[2] - side[3]) < tolerance;
        if (strict) {
            // Generated shapes must be unambiguous: no rhombus (kite and parallelogram at once), no sliver.
            boolean rhombus = Math.abs(side[0] - side[1]) < 0.15 * Math.max(side[0], side[1]);
            if (rhombus || java.util.Arrays.stream(side).min().orElse(0) < 0.5) {
                return Optional.empty();
            }
        }
        return Optional.of(kite ? "kite" : "trapezoid");
    }

    /** The solver: the letter of the option naming the shape of the input's path. */
    static Optional<Integer> solve(String input) {
        return MultipleChoice.parse(input).flatMap(p -> {
            Matcher m = HEAD.matcher(p.stem());
            if (!m.matches()) {
                return Optional.empty();
            }
            return shapeOf(m.group(1)).flatMap(shape -> {
                Optional<Integer> i = p.indexOf(shape);
                // A reader without the eleventh option would answer with its nearest neighbour.
                return i.isPresent() ? i : p.indexOf(shape.equals("ellipse") ? "circle" : "rectangle");
            });
        });
    }

    /** Whether a whole input is in the generator's forms: a template path and the option list its shape gets. */
    static boolean inTemplateForm(String input) {
        return MultipleChoice.parse(input).filter(p -> isTemplateForm(p.stem())
                && (p.options().equals(BASE_OPTIONS) || p.options().equals(options("trapezoid"))
                        || p.options().equals(options("ellipse")))).isPresent();
    }

    /**
     * Whether a path is written in one of the forms the generator writes: a line, a closed polygon whose restarts
     * are at the previous point, two half-circle arcs back to the start, or centre–edge–arc–centre.
     */
    static boolean isTemplateForm(String stem) {
        Matcher m = HEAD.matcher(stem);
        if (!m.matches()) {
            return false;
        }
        String path = m.group(1);
        Pattern ellipse = Pattern.compile("M (" + PT + ") A (" + NUM + "),\\2 (" + NUM + ") 1,0 " + PT + " A \\2,\\2 \\3 1,0 \\1");
        Pattern sector = Pattern.compile("M (" + PT + ") L (" + PT + ")(?: M \\2)? A (" + NUM + "),\\3 " + NUM + " 0,1 " + PT
                + " L \\1");
        if (ellipse.matcher(path).matches() || sector.matcher(path).matches()
                || Pattern.compile("M " + PT + " L " + PT).matcher(path).matches()) {
            return true;
        }
        Optional<List<Command>> cmds = commands(path);
        if (cmds.isEmpty() || cmds.get().get(0).kind() != 'M') {
            return false;
        }
        List<Command> c = cmds.get();
        for (int i = 1; i < c.size(); i++) {
            if (c.get(i).kind() == 'A' || c.get(i).kind() == 'M' && !c.get(i).to().equals(c.get(i - 1).to())) {
                return false;
            }
        }
        return c.get(c.size() - 1).to().equals(c.get(0).to()) && c.get(c.size() - 1).kind() == 'L';
    }
}
