package dev.hir.core.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code accuracy.png}: held-out accuracy and sample success rate per iteration. */
final class AccuracyChart {
    private AccuracyChart() {}

    static void write(Path file, String title, List<JsonNode> metrics) {
        System.setProperty("java.awt.headless", "true");
        var eval = new XYSeries("eval accuracy (greedy)");
        var samples = new XYSeries("sample success rate");
        var pass = new XYSeries("pass@k");
        for (JsonNode m : metrics) {
            int it = m.path("iteration").asInt();
            if (m.hasNonNull("eval_accuracy")) {
                eval.add(it, m.get("eval_accuracy").asDouble());
            }
            if (m.hasNonNull("sample_success_rate")) {
                samples.add(it, m.get("sample_success_rate").asDouble());
            }
            if (m.hasNonNull("pass_at_k")) {
                pass.add(it, m.get("pass_at_k").asDouble());
            }
        }
        var data = new XYSeriesCollection();
        data.addSeries(eval);
        data.addSeries(samples);
        if (pass.getItemCount() > 0) {
            data.addSeries(pass);
        }
        var x = new NumberAxis("iteration");
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        var y = new NumberAxis("share");
        y.setRange(0.0, 1.0);
        var renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0xff7f0e));
        renderer.setSeriesPaint(2, new Color(0x2ca02c));
        for (int i = 0; i < 3; i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        var plot = new XYPlot(data, x, y, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        var chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            ChartUtils.saveChartAsPNG(tmp.toFile(), chart, 800, 480);
            dev.hir.core.io.AtomicFiles.move(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
