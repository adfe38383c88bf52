package kz.ikomek.vision.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

    @TempDir
    Path dir;

    @Test
    void scores_writes_every_readable_image_with_its_score_per_type() throws Exception {
        Files.createDirectories(dir.resolve("clear"));
        Files.createDirectories(dir.resolve("snow"));
        try (Mat grey = new Mat(90, 160, CV_8UC3, new Scalar(120, 120, 120, 0));
             Mat white = new Mat(90, 160, CV_8UC3, new Scalar(240, 240, 240, 0))) {
            imwrite(dir.resolve("clear/grey.png").toString(), grey);
            imwrite(dir.resolve("snow/white.png").toString(), white);
        }
        Files.writeString(dir.resolve("snow/broken.jpg"), "not a jpeg");
        Path csv = dir.resolve("scores.csv");
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(new StringWriter()));
        cli.setErr(new PrintWriter(new StringWriter()));

        assertThat(cli.execute("eval", "--images", dir.toString(), "--scores", csv.toString())).isZero();

        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo("file,label,snow,flood,open_manhole,dumping");
        assertThat(lines).hasSize(3);         // the broken file is reported by the table, not scored
        assertThat(lines.subList(1, 3)).anySatisfy(l -> assertThat(l).contains("grey.png\",clear,"))
                .anySatisfy(l -> assertThat(l).contains("white.png\",snow,"))
                .allSatisfy(l -> {
                    String[] cells = l.substring(l.lastIndexOf('"') + 1).split(",");
                    assertThat(cells).hasSize(6);   // "", label and four scores
                    for (int i = 2; i < 6; i++) {
                        assertThat(Double.parseDouble(cells[i])).isBetween(0.0, 1.0);
                    }
                });
    }

    @Test
    void scores_into_a_missing_directory_exits_2_and_names_it() throws Exception {
        Files.createDirectories(dir.resolve("clear"));
        try (Mat grey = new Mat(90, 160, CV_8UC3, new Scalar(120, 120, 120, 0))) {
            imwrite(dir.resolve("clear/grey.png").toString(), grey);
        }
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("eval", "--images", dir.toString(), "--scores", dir.resolve("no/such.csv").toString()))
                .isEqualTo(2);
        assertThat(err.toString()).contains("--scores").contains("does not exist");
    }
}
