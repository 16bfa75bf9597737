package io.wgmon.os;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class InotifyEventParserTest {
    // wd 1, IN_CREATE, cookie 0, len 16: "wg0.sock" NUL-padded
    private static final String CREATED = "01000000" + "00010000" + "00000000" + "10000000"
            + "7767302e736f636b" + "0000000000000000";
    // wd 1, IN_DELETE_SELF, no name
    private static final String DIRECTORY_GONE = "01000000" + "00040000" + "00000000" + "00000000";

    @BeforeAll
    static void littleEndianHost() {
        assumeTrue(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN, "the byte fixtures are written for x86-64");
    }

    @Test
    void eventsOfOneReadWithAndWithoutNames() {
        byte[] bytes = HexFormat.of().parseHex(CREATED + DIRECTORY_GONE);

        InotifyEventParser.Events events = InotifyEventParser.parse(bytes, bytes.length);

        assertEquals(List.of(new InotifyEvent(1, InotifyEvent.IN_CREATE, "wg0.sock"),
                new InotifyEvent(1, InotifyEvent.IN_DELETE_SELF, "")), events.events());
        assertFalse(events.truncated());
    }

    @Test
    void aRecordCutShortEndsTheListAndIsReported() {
        byte[] bytes = HexFormat.of().parseHex(DIRECTORY_GONE + CREATED.substring(0, 40));

        InotifyEventParser.Events events = InotifyEventParser.parse(bytes, bytes.length);

        assertEquals(1, events.events().size());
        assertTrue(events.truncated());
    }
}
