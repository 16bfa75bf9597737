package io.wgmon.wireguard.kernel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

class PeersByKeyTest {
    private record TestPeer(byte[] key) implements PeersByKey.Keyed {
        @Override
        public long keyWord(int index) {
            return PeersByKey.keyWord(key, index);
        }
    }

    @Test
    void findsEveryKeyAddedThroughTheResizesAndNoOther() {
        PeersByKey<TestPeer> peers = new PeersByKey<>();
        List<TestPeer> added = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            // keys that differ in one byte only, in each of the four words in turn: nothing like
            // the spread bytes of real keys
            byte[] key = new byte[32];
            key[(i % 4) * 8 + i / 4 % 8] = (byte) (1 + i / 32);
            key[31 - i % 4] ^= (byte) (i % 32);
            if (peers.find(key) != null) {
                continue;
            }
            TestPeer peer = new TestPeer(key);
            peers.add(peer);
            added.add(peer);
        }
        assertEquals(added.size(), peers.size());
        assertEquals(added, peers.inOrder());
        for (TestPeer peer : added) {
            assertSame(peer, peers.find(peer.key().clone()));
        }
        for (TestPeer peer : added) {
            byte[] other = peer.key().clone();
            other[17] ^= (byte) 0x80;
            if (added.stream().noneMatch(p -> java.util.Arrays.equals(p.key(), other))) {
                assertNull(peers.find(other));
            }
        }
    }

    @Test
    void keysThatDifferOnlyInTheirLastWordAreDifferentPeers() {
        PeersByKey<TestPeer> peers = new PeersByKey<>();
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[31] = 1;
        TestPeer first = new TestPeer(a);
        peers.add(first);

        assertNull(peers.find(b));
        TestPeer second = new TestPeer(b);
        peers.add(second);
        assertSame(first, peers.find(a.clone()));
        assertSame(second, peers.find(b.clone()));
        assertEquals(List.of(first, second), peers.inOrder());
    }
}
