import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

/**
 * Draws the chart of a benchmark run: java Chart.java RESULTS.tsv OUT.png "TITLE".
 * Left: system rate / raw rate per workload against its target. Right: p50 and p99 latency
 * of the raw datastore and of the system per workload, on a log scale. JDK only, headless.
 * The TSV is bench/run.sh's: workload, unit, raw rate, system rate, target, raw p50, raw p99,
 * system p50, system p99 (ms), api RSS, worker RSS, note; "-" where there is no figure.
 */
public class Chart {

	static final Color RAW = new Color(0x9e9e9e);

	static final Color SYSTEM = new Color(0x1f77b4);

	static final Color MET = new Color(0x2ca02c);

	static final Color MISSED = new Color(0xd62728);

	static final Color GRID = new Color(0xe6e6e6);

	record Row(String workload, String unit, double raw, double system, String target, double rawP50, double rawP99,
			double sysP50, double sysP99, double rawCpu, double sysCpu) {

		/** Raw CPU per op / system CPU per op: the ratio if the servers' CPU alone bounded the rate. */
		double cpuRatio() {
			return (Double.isNaN(this.rawCpu) || Double.isNaN(this.sysCpu) || this.sysCpu <= 0) ? Double.NaN
					: this.rawCpu / this.sysCpu;
		}

		double ratio() {
			return (Double.isNaN(this.raw) || Double.isNaN(this.system) || this.raw <= 0) ? Double.NaN
					: this.system / this.raw;
		}

		double targetValue() {
			// "ratio>=0.5" or "p99<2000ms": the number after the comparison
			return Double.parseDouble(this.target.replaceAll("^[^<>=]*[<>=]+", "").replaceAll("[^0-9.]", ""));
		}

	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		List<Row> rows = new ArrayList<>();
		for (String line : Files.readAllLines(Path.of(args[0]))) {
			if (line.isBlank()) {
				continue;
			}
			String[] f = line.split("\t", -1);
			rows.add(new Row(f[0], f[1], num(f[2]), num(f[3]), f[4], num(f[5]), num(f[6]), num(f[7]), num(f[8]),
					f.length > 12 ? num(f[12]) : Double.NaN, f.length > 13 ? num(f[13]) : Double.NaN));
		}
		int width = 1640;
		int height = 640;
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
		g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
		g.drawString("Session History vs the raw datastores" + (args.length > 2 ? " — " + args[2] : ""), 30, 36);
		ratios(g, rows.stream().filter(r -> r.target().startsWith("ratio")).toList(), 30, 70, 660, 520);
		latencies(g, rows, 740, 70, 880, 520);
		g.dispose();
		ImageIO.write(image, "png", new File(args[1]));
	}

	static double num(String text) {
		try {
			return Double.parseDouble(text);
		}
		catch (NumberFormatException ex) {
			return Double.NaN;
		}
	}

	/** Horizontal bars of system / raw with a dashed mark at each target. */
	static void ratios(Graphics2D g, List<Row> rows, int x, int y, int w, int h) {
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.setColor(Color.BLACK);
		g.drawString("Throughput ratio: system / raw datastore (dashed: target)", x, y);
		int labelWidth = 190;
		int left = x + labelWidth;
		int plotWidth = w - labelWidth - 20;
		int top = y + 30;
		int bottom = y + h - 40;
		double max = 1.2;
		for (Row row : rows) {
			if (!Double.isNaN(row.ratio())) {
				max = Math.max(max, row.ratio() * 1.1);
			}
			if (!Double.isNaN(row.cpuRatio())) {
				max = Math.max(max, row.cpuRatio() * 1.1);
			}
		}
		max = Math.ceil(max * 5) / 5;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (double t = 0; t <= max + 1e-9; t += (max > 3 ? 0.5 : 0.2)) {
			int gx = left + (int) (t / max * plotWidth);
			g.setColor(GRID);
			g.drawLine(gx, top, gx, bottom);
			g.setColor(Color.DARK_GRAY);
			String label = String.format("%.1f", t);
			g.drawString(label, gx - g.getFontMetrics().stringWidth(label) / 2, bottom + 16);
		}
		int slot = (bottom - top) / Math.max(1, rows.size());
		int bar = Math.min(48, slot - 24);
		for (int i = 0; i < rows.size(); i++) {
			Row row = rows.get(i);
			int cy = top + i * slot + slot / 2;
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
			g.drawString(row.workload(), x, cy - 2);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
			g.setColor(Color.DARK_GRAY);
			g.drawString("raw " + compact(row.raw()) + " " + row.unit(), x, cy + 14);
			g.drawString("system " + compact(row.system()) + " " + row.unit(), x, cy + 28);
			double ratio = row.ratio();
			double target = row.targetValue();
			if (!Double.isNaN(ratio)) {
				int bw = (int) (Math.min(ratio, max) / max * plotWidth);
				g.setColor(ratio >= target ? MET : MISSED);
				g.fillRect(left, cy - bar / 2, Math.max(bw, 2), bar);
				g.setColor(Color.BLACK);
				g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
				String label = String.format("%.2f", ratio);
				int lx = left + bw + 6;
				if (lx + 40 > left + plotWidth) {
					lx = left + bw - 44;
					g.setColor(Color.WHITE);
				}
				g.drawString(label, lx, cy + 5);
			}
			else {
				g.setColor(Color.GRAY);
				g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 13));
				g.drawString("not measured", left + 6, cy + 5);
			}
			double cpu = row.cpuRatio();
			if (!Double.isNaN(cpu)) {
				int dx = left + (int) (Math.min(cpu, max) / max * plotWidth);
				int dy = cy + bar / 2 + 9;
				g.setColor(Color.BLACK);
				g.fillPolygon(new int[] { dx, dx + 6, dx, dx - 6 }, new int[] { dy - 6, dy, dy + 6, dy }, 4);
				g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
				g.drawString(String.format("%.2f", cpu), dx + 9, dy + 4);
			}
			int tx = left + (int) (target / max * plotWidth);
			g.setColor(Color.BLACK);
			g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] { 5f, 4f },
					0f));
			g.drawLine(tx, cy - bar / 2 - 8, tx, cy + bar / 2 + 8);
			g.setStroke(new BasicStroke(1f));
		}
		g.setColor(Color.BLACK);
		g.drawLine(left, top, left, bottom);
		int ly = bottom + 48;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		g.setColor(MET);
		g.fillRect(left, ly - 11, 14, 14);
		g.setColor(Color.BLACK);
		g.drawString("target met", left + 20, ly);
		g.setColor(MISSED);
		g.fillRect(left + 120, ly - 11, 14, 14);
		g.setColor(Color.BLACK);
		g.drawString("target missed", left + 140, ly);
		g.fillPolygon(new int[] { left + 267, left + 273, left + 267, left + 261 }, new int[] { ly - 10, ly - 4, ly + 2, ly - 4 }, 4);
		g.drawString("server-CPU ratio (raw / system)", left + 280, ly);
	}

	static String compact(double value) {
		if (Double.isNaN(value)) {
			return "-";
		}
		return value >= 10_000 ? String.format("%.1fk", value / 1000) : String.format("%.0f", value);
	}

	/** p50 and p99 per workload, raw and system, on a log scale in milliseconds. */
	static void latencies(Graphics2D g, List<Row> rows, int x, int y, int w, int h) {
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
		g.setColor(Color.BLACK);
		g.drawString("Latency p50 (solid) and p99 (light), ms, log scale", x, y);
		int left = x + 50;
		int plotWidth = w - 60;
		int top = y + 30;
		int bottom = y + h - 84;
		double lo = 0.1;
		double hi = 10;
		for (Row row : rows) {
			for (double v : new double[] { row.rawP50(), row.rawP99(), row.sysP50(), row.sysP99() }) {
				if (!Double.isNaN(v) && v > 0) {
					hi = Math.max(hi, v);
					lo = Math.min(lo, v);
				}
			}
		}
		double logLo = Math.floor(Math.log10(lo));
		double logHi = Math.ceil(Math.log10(hi * 1.5));
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
		for (double p = logLo; p <= logHi + 1e-9; p++) {
			int gy = yOf(Math.pow(10, p), logLo, logHi, top, bottom);
			g.setColor(GRID);
			g.drawLine(left, gy, left + plotWidth, gy);
			g.setColor(Color.DARK_GRAY);
			double v = Math.pow(10, p);
			String label = v >= 1 ? String.format("%.0f", v) : String.format("%s", v);
			g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), gy + 4);
		}
		int slot = plotWidth / Math.max(1, rows.size());
		int bar = Math.min(40, (slot - 30) / 2);
		for (int i = 0; i < rows.size(); i++) {
			Row row = rows.get(i);
			int cx = left + i * slot + slot / 2;
			bar(g, cx - bar - 2, bar, row.rawP50(), row.rawP99(), RAW, logLo, logHi, top, bottom);
			bar(g, cx + 2, bar, row.sysP50(), row.sysP99(), SYSTEM, logLo, logHi, top, bottom);
			if (row.target().startsWith("p99<")) {
				double target = row.targetValue();
				int ty = yOf(target, logLo, logHi, top, bottom);
				g.setColor(Color.BLACK);
				g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
						new float[] { 5f, 4f }, 0f));
				g.drawLine(cx - slot / 2 + 8, ty, cx + slot / 2 - 8, ty);
				g.setStroke(new BasicStroke(1f));
				g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
				g.drawString("p99 target", cx - slot / 2 + 10, ty - 4);
			}
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
			List<String> lines = wrap(g, row.workload(), slot - 6);
			for (int l = 0; l < lines.size(); l++) {
				centered(g, lines.get(l), cx, bottom + 16 + l * 14);
			}
		}
		g.setColor(Color.BLACK);
		g.drawLine(left, top, left, bottom);
		g.drawLine(left, bottom, left + plotWidth, bottom);
		int ly = bottom + 66;
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		g.setColor(RAW);
		g.fillRect(left, ly - 11, 14, 14);
		g.setColor(Color.BLACK);
		g.drawString("raw datastore", left + 20, ly);
		g.setColor(SYSTEM);
		g.fillRect(left + 140, ly - 11, 14, 14);
		g.setColor(Color.BLACK);
		g.drawString("system (wave, lag: end → archived, per session; stall check: PING during the run)", left + 160, ly);
	}

	static void bar(Graphics2D g, int x, int width, double p50, double p99, Color color, double logLo, double logHi,
			int top, int bottom) {
		if (!Double.isNaN(p99) && p99 > 0) {
			int y99 = yOf(p99, logLo, logHi, top, bottom);
			g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 90));
			g.fillRect(x, y99, width, bottom - y99);
			g.setColor(Color.DARK_GRAY);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			centered(g, fmt(p99), x + width / 2, y99 - 3);
		}
		if (!Double.isNaN(p50) && p50 > 0) {
			int y50 = yOf(p50, logLo, logHi, top, bottom);
			g.setColor(color);
			g.fillRect(x, y50, width, bottom - y50);
			g.setColor(Color.WHITE);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
			if (bottom - y50 > 16) {
				centered(g, fmt(p50), x + width / 2, y50 + 13);
			}
		}
	}

	static String fmt(double ms) {
		return ms >= 100 ? String.format("%.0f", ms) : ms >= 10 ? String.format("%.1f", ms) : String.format("%.2f", ms);
	}

	static int yOf(double value, double logLo, double logHi, int top, int bottom) {
		double l = Math.log10(Math.max(value, Math.pow(10, logLo)));
		return bottom - (int) ((l - logLo) / (logHi - logLo) * (bottom - top));
	}

	/**
	 * The words of text in lines no wider than width (a longer word alone on its line), a
	 * new line after each comma.
	 */
	static List<String> wrap(Graphics2D g, String text, int width) {
		FontMetrics metrics = g.getFontMetrics();
		List<String> lines = new ArrayList<>();
		for (String part : text.split("(?<=,) ")) {
			String line = "";
			for (String word : part.split(" ")) {
				String longer = line.isEmpty() ? word : line + " " + word;
				if (!line.isEmpty() && metrics.stringWidth(longer) > width) {
					lines.add(line);
					line = word;
				}
				else {
					line = longer;
				}
			}
			lines.add(line);
		}
		return lines;
	}

	static void centered(Graphics2D g, String text, int cx, int y) {
		FontMetrics metrics = g.getFontMetrics();
		g.drawString(text, cx - metrics.stringWidth(text) / 2, y);
	}

}
