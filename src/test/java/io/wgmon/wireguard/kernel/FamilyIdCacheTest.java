package io.wgmon.wireguard.kernel;

import io.wgmon.wireguard.WireGuardException;
import io.wgmon.wireguard.WireGuardException.Reason;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The caching policy on its own, with lookups that answer from a script. */
class FamilyIdCacheTest {
    private final Deque<Object> lookupAnswers = new ArrayDeque<>();
    private int lookups;
    private final FamilyIdCache cache = new FamilyIdCache(() -> {
        lookups++;
        Object answer = lookupAnswers.removeFirst();
        if (answer instanceof WireGuardException e) {
            throw e;
        }
        return (Integer) answer;
    });

    @Test
    void theIdIsLookedUpOnceAndRemembered() throws Exception {
        lookupAnswers.add(21);
        List<Integer> usedIds = new ArrayList<>();

        cache.call(id -> usedIds.add(id));
        cache.call(id -> usedIds.add(id));

        assertEquals(List.of(21, 21), usedIds);
        assertEquals(1, lookups);
    }

    @Test
    void aMissingFamilyIsNotRemembered() throws Exception {
        lookupAnswers.add(moduleNotLoaded(""));
        lookupAnswers.add(22);

        assertEquals(Reason.MODULE_NOT_LOADED, assertThrows(WireGuardException.class, () -> cache.call(id -> id)).reason());
        int id = cache.call(familyId -> familyId);

        assertEquals(22, id, "the module was loaded since: the second call finds it");
        assertEquals(2, lookups);
    }

    @Test
    void aStaleIdIsLookedUpAgainAndTheRequestRepeatedOnce() throws Exception {
        lookupAnswers.add(21);
        lookupAnswers.add(23);
        List<Integer> usedIds = new ArrayList<>();

        String result = cache.call(id -> {
            usedIds.add(id);
            if (id == 21) {
                throw moduleNotLoaded(" (family id 21 unknown)");
            }
            return "read with " + id;
        });

        assertEquals("read with 23", result);
        assertEquals(List.of(21, 23), usedIds);
        assertEquals(23, cache.familyId());
        assertEquals(2, lookups);
    }

    @Test
    void aFamilyGoneForGoodFailsAfterOneRetryAndIsForgotten() throws Exception {
        lookupAnswers.add(21);
        lookupAnswers.add(24);
        WireGuardException gone = moduleNotLoaded(" (family id 24 unknown)");
        List<Integer> usedIds = new ArrayList<>();

        WireGuardException e = assertThrows(WireGuardException.class, () -> cache.call(id -> {
            usedIds.add(id);
            throw id == 21 ? moduleNotLoaded(" (family id 21 unknown)") : gone;
        }));

        assertSame(gone, e);
        assertEquals(List.of(21, 24), usedIds, "exactly one retry");
        lookupAnswers.add(25);
        assertEquals(25, cache.familyId(), "the failed id was not kept");
    }

    @Test
    void otherFailuresKeepTheId() throws Exception {
        lookupAnswers.add(21);

        WireGuardException e = assertThrows(WireGuardException.class, () -> cache.call(id -> {
            throw new WireGuardException(Reason.NO_SUCH_DEVICE, "wg0: no such WireGuard interface");
        }));

        assertEquals(Reason.NO_SUCH_DEVICE, e.reason());

        assertEquals(21, cache.familyId());
        assertEquals(1, lookups);
    }

    private static WireGuardException moduleNotLoaded(String detail) {
        return new WireGuardException(Reason.MODULE_NOT_LOADED, "the wireguard kernel module is not loaded" + detail);
    }
}
