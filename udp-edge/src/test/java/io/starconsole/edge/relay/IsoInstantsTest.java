package io.starconsole.edge.relay;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class IsoInstantsTest {

    @Test
    void writesWhatIsoInstantWrites_forFractionsOfEveryLength_acrossSeconds() {
        IsoInstants times = new IsoInstants();
        SplittableRandom random = new SplittableRandom(7);
        Instant start = Instant.parse("2026-12-31T23:59:58Z");
        for (int i = 0; i < 20_000; i++) {
            long nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000L;
                case 2 -> random.nextInt(1_000_000) * 1_000L;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = start.plusSeconds(random.nextInt(4)).plusNanos(nanos);
            assertThat(written(times, at)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(at));
        }
    }

    @Test
    void farInstants_asIsoInstant() {
        IsoInstants times = new IsoInstants();
        for (Instant at : new Instant[] {Instant.EPOCH, Instant.ofEpochSecond(-1, 5), Instant.parse("1969-12-31T23:59:59.000001Z"),
                Instant.parse("9999-12-31T23:59:59.999999999Z"), Instant.ofEpochSecond(253402300800L, 120_000_000), Instant.MIN, Instant.MAX,
                Instant.MIN.plusSeconds(86_399).plusNanos(1)}) {
            assertThat(written(times, at)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(at));
        }
    }

    private static String written(IsoInstants times, Instant at) {
        byte[] into = new byte[IsoInstants.MAX_LENGTH + 4];
        into[0] = '"';
        int end = times.write(at, into, 1);
        assertThat(end - 1).as("length of %s", at).isLessThanOrEqualTo(IsoInstants.MAX_LENGTH);
        return new String(into, 1, end - 1, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
