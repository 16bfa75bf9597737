package io.wgmon.store;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packed row's reading; SessionTableTest reads real rows packed by SQLite. */
class SessionColumnsTest {
    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aRowsNumbersAndTextsAreReadByTheirLengths() throws SQLException {
        SessionColumns row = SessionColumns.parse(bytes("7 -1500 0 -9223372036854775808 9223372036854775807 0"
                + " 3 2 0 -1 4 -1 5:a b\u00e9\u0000x  1 2;3"));
        assertEquals(7, row.rowId());
        assertEquals(-1500, row.startMillis());
        assertTrue(row.ended());
        assertEquals(Long.MIN_VALUE, row.endMillis());
        assertEquals(Long.MAX_VALUE, row.rxBytes());
        assertEquals(0, row.txBytes());
        assertEquals("a b", row.string(SessionColumns.Text.ID));
        assertEquals("\u00e9", row.string(SessionColumns.Text.INTERFACE));
        assertEquals("", row.string(SessionColumns.Text.PUBLIC_KEY));
        assertTrue(row.isNull(SessionColumns.Text.NAME));
        assertNull(row.string(SessionColumns.Text.NAME));
        assertEquals("\u0000x  ", row.string(SessionColumns.Text.END_REASON));
        assertNull(row.string(SessionColumns.Text.ENDPOINT));
        assertEquals("1 2;3", row.string(SessionColumns.Text.ENDPOINTS));
        assertFalse(SessionColumns.parse(bytes("1 2 1 0 0 0 0 0 0 0 0 0 0:")).ended());
    }

    @Test
    void anythingElseIsOneClearFailure() {
        for (String bad : new String[] {"", "1 2 3", "1 2 1 0 0 0 0 0 0 0 0 0 0", "1 2 1 0 0 0 0 0 0 0 0 0 1:",
                "1 2 1 0 0 0 0 0 0 0 0 0 0:x", "1 2 1 0 0 0 0 0 0 0 0 0 -2:", "1 2 1 0 0 0 0 0 0 0 0 0 99999999999:",
                "9223372036854775808 2 1 0 0 0 0 0 0 0 0 0 0:", "-9223372036854775809 2 1 0 0 0 0 0 0 0 0 0 0:",
                "99999999999999999999999 2 1 0 0 0 0 0 0 0 0 0 0:", "1  2 1 0 0 0 0 0 0 0 0 0 0:",
                "- 2 1 0 0 0 0 0 0 0 0 0 0:", "1 2 1 0 0 0 0 0 0 0 0 0 0 0:"}) {
            SQLException e = assertThrows(SQLException.class, () -> SessionColumns.parse(bytes(bad)), bad);
            assertTrue(e.getMessage().startsWith("a session row not in the packed form"), e.getMessage());
        }
        assertThrows(SQLException.class, () -> SessionColumns.parse(null));
    }
}
