package kz.ikomek.vision.simulator.encode;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpFrameTest {

    private static byte[] nal(int type, int length) {
        byte[] n = new byte[length];
        n[0] = (byte) (0x60 | type);
        for (int i = 1; i < length; i++) {
            n[i] = (byte) (i * 31 + type);
        }
        return n;
    }

    private record Packet(int channel, boolean marker, int seq, int ts, int ssrc, byte[] payload) {
    }

    private static List<Packet> parse(byte[] wire, int len) {
        List<Packet> out = new ArrayList<>();
        int p = 0;
        while (p < len) {
            assertThat(wire[p]).isEqualTo((byte) '$');
            int size = ((wire[p + 2] & 0xFF) << 8) | (wire[p + 3] & 0xFF);
            int r = p + 4;
            assertThat(wire[r] & 0xC0).as("RTP version 2").isEqualTo(0x80);
            byte[] payload = new byte[size - 12];
            System.arraycopy(wire, r + 12, payload, 0, payload.length);
            out.add(new Packet(wire[p + 1], (wire[r + 1] & 0x80) != 0, ((wire[r + 2] & 0xFF) << 8) | (wire[r + 3] & 0xFF),
                    java.nio.ByteBuffer.wrap(wire, r + 4, 4).getInt(), java.nio.ByteBuffer.wrap(wire, r + 8, 4).getInt(),
                    payload));
            p += 4 + size;
        }
        assertThat(p).isEqualTo(len);
        return out;
    }

    @Test
    void small_nal_units_go_whole_and_large_ones_as_fu_a_fragments_that_reassemble() {
        byte[] sps = nal(7, 20);
        byte[] pps = nal(8, 6);
        byte[] idr = nal(5, 5000);
        RtpFrame frame = RtpFrame.packetize(new AccessUnit(List.of(sps, pps, idr), true));
        byte[] dst = new byte[frame.wire().length];
        int next = frame.writeTo(dst, 0, 2, 65534, 123456, 0xCAFEBABE);
        List<Packet> packets = parse(dst, dst.length);

        assertThat(packets).hasSize(2 + 4);
        assertThat(packets.get(0).payload()).isEqualTo(sps);
        assertThat(packets.get(1).payload()).isEqualTo(pps);
        ByteArrayOutputStream rebuilt = new ByteArrayOutputStream();
        for (int i = 2; i < packets.size(); i++) {
            byte[] pl = packets.get(i).payload();
            assertThat(pl[0] & 0x1F).isEqualTo(28);
            assertThat(pl[0] & 0xE0).isEqualTo(idr[0] & 0xE0);
            assertThat(pl[1] & 0x1F).isEqualTo(5);
            assertThat((pl[1] & 0x80) != 0).isEqualTo(i == 2);
            assertThat((pl[1] & 0x40) != 0).isEqualTo(i == packets.size() - 1);
            if (i == 2) {
                rebuilt.write(idr[0]);
            }
            rebuilt.write(pl, 2, pl.length - 2);
            assertThat(pl.length).isLessThanOrEqualTo(RtpFrame.MAX_PAYLOAD);
        }
        assertThat(rebuilt.toByteArray()).isEqualTo(idr);
        assertThat(packets).extracting(Packet::marker).containsExactly(false, false, false, false, false, true);
        assertThat(packets).extracting(Packet::seq).containsExactly(65534, 65535, 0, 1, 2, 3);
        assertThat(next).isEqualTo(4);
        assertThat(packets).allSatisfy(p -> {
            assertThat(p.channel()).isEqualTo(2);
            assertThat(p.ts()).isEqualTo(123456);
            assertThat(p.ssrc()).isEqualTo(0xCAFEBABE);
        });
    }

    @Test
    void annex_b_streams_split_into_pictures_at_first_slices_and_parameter_sets() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        byte[][] nals = {nal(7, 10), nal(8, 4), nal(5, 300), nal(1, 50), nal(1, 60), nal(7, 10), nal(8, 4), nal(5, 200)};
        for (int i = 0; i < nals.length; i++) {
            s.writeBytes(i % 2 == 0 ? new byte[] {0, 0, 0, 1} : new byte[] {0, 0, 1});
            // first_mb_in_slice = 0 is a leading 1 bit in the slice header.
            if ((nals[i][0] & 0x1F) <= 5) {
                nals[i][1] = (byte) 0x88;
            }
            s.writeBytes(nals[i]);
        }
        List<byte[]> split = AnnexB.nals(s.toByteArray());
        assertThat(split).hasSize(8);
        for (int i = 0; i < 8; i++) {
            assertThat(split.get(i)).isEqualTo(nals[i]);
        }
        List<AccessUnit> units = AnnexB.accessUnits(split);
        assertThat(units).extracting(AccessUnit::keyframe).containsExactly(true, false, false, true);
        assertThat(units).extracting(u -> u.nals().size()).containsExactly(3, 1, 1, 3);
    }
}
