package io.tlsaccel.tls.ticket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketKeysTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] STATE = "resumption state".getBytes(StandardCharsets.US_ASCII);

    @Test
    void sealsSecretlyAndOpensOnlyWhatItSealed() {
        try (TicketKeys keys = TicketKeys.of(TicketKey.generate(RANDOM))) {
            byte[] ticket = keys.seal(STATE);
            assertEquals(STATE.length + TicketKeys.OVERHEAD, ticket.length);
            assertFalse(new String(ticket, StandardCharsets.ISO_8859_1).contains("resumption"));
            assertArrayEquals(STATE, keys.open(ticket));
            assertFalse(java.util.Arrays.equals(ticket, keys.seal(STATE)), "a fresh nonce per ticket");
            for (int i = 0; i < ticket.length; i++) { // any change, name, nonce, body or tag: not opened
                byte[] bad = ticket.clone();
                bad[i] ^= 0x20;
                assertNull(keys.open(bad), "byte " + i);
            }
            assertNull(keys.open(new byte[3]));
            assertNull(keys.open(java.util.Arrays.copyOf(ticket, ticket.length - 1)));
        }
    }

    @Test
    void aTicketUnderAnotherKeyIsNotOpened() {
        try (TicketKeys a = TicketKeys.of(TicketKey.generate(RANDOM)); TicketKeys b = TicketKeys.of(TicketKey.generate(RANDOM))) {
            assertNull(b.open(a.seal(STATE)));
        }
    }

    @Test
    void previousKeysOpenButDoNotSeal() {
        TicketKey old = TicketKey.generate(RANDOM);
        TicketKey oldCopy = TicketKey.decode(encodedOf(old));
        try (TicketKeys before = TicketKeys.of(old); TicketKeys after = TicketKeys.of(TicketKey.generate(RANDOM), oldCopy)) {
            byte[] issuedBefore = before.seal(STATE);
            assertArrayEquals(STATE, after.open(issuedBefore));
            assertNull(before.open(after.seal(STATE)));
        }
    }

    @Test
    void rotatingKeysKeepTheCurrentAndThePrevious() {
        MutableClock clock = new MutableClock();
        try (TicketKeys keys = TicketKeys.rotating(Duration.ofHours(1), RANDOM, clock)) {
            byte[] first = keys.seal(STATE);
            clock.advance(Duration.ofMinutes(61));
            byte[] second = keys.seal(STATE);
            assertEquals(2, keys.size());
            assertArrayEquals(STATE, keys.open(first), "previous key still opens");
            clock.advance(Duration.ofMinutes(61));
            assertNull(keys.open(first), "two rotations later the first key is gone");
            assertArrayEquals(STATE, keys.open(second));
        }
    }

    @Test
    void installReplacesTheSetAndWipesTheOldKeys() {
        TicketKey first = TicketKey.generate(RANDOM);
        try (TicketKeys keys = TicketKeys.of(first)) {
            byte[] ticket = keys.seal(STATE);
            keys.install(List.of(TicketKey.generate(RANDOM)));
            assertTrue(first.isDestroyed());
            assertNull(keys.open(ticket));
        }
    }

    @Test
    void noSecretInToString() {
        TicketKey k = TicketKey.generate(RANDOM);
        byte[] encoded = encodedOf(k);
        String secretHex = java.util.HexFormat.of().formatHex(encoded, 16, 48);
        String nameHex = java.util.HexFormat.of().formatHex(encoded, 0, 16);
        try (TicketKeys keys = TicketKeys.of(k)) {
            for (String s : List.of(k.toString(), keys.toString())) {
                assertFalse(s.contains(secretHex.substring(0, 8)), s);
                assertFalse(s.contains(nameHex), s);
                assertFalse(s.contains(Base64.getEncoder().encodeToString(encoded).substring(0, 12)), s);
            }
        }
    }

    @Test
    void closedKeysRefuseWork() {
        TicketKeys keys = TicketKeys.of(TicketKey.generate(RANDOM));
        keys.close();
        assertThrows(IllegalStateException.class, () -> keys.seal(STATE));
    }

    @Test
    void theFileIsCreatedRotatedAndReadBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ticket.keys");
        List<TicketKey> created = TicketKeyFile.rotate(file, RANDOM);
        assertEquals(1, created.size());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        List<TicketKey> rotated = TicketKeyFile.rotate(file, RANDOM);
        assertEquals(2, rotated.size());
        assertArrayEquals(encodedOf(created.get(0)), encodedOf(rotated.get(1)), "the old current key is kept second");
        List<TicketKey> third = TicketKeyFile.rotate(file, RANDOM);
        assertEquals(2, third.size(), "only current + previous");
        List<TicketKey> read = TicketKeyFile.read(file);
        assertArrayEquals(encodedOf(third.get(0)), encodedOf(read.get(0)));

        Files.writeString(file, "# nothing\n\n");
        assertThrows(java.io.IOException.class, () -> TicketKeyFile.read(file));
        Files.writeString(file, "not base64 at all!\n");
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> TicketKeyFile.read(file));
        assertFalse(e.getMessage().contains("not base64 at all"), "the line is never echoed");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[47]) + "\n");
        assertThrows(java.io.IOException.class, () -> TicketKeyFile.read(file));
    }

    @Test
    void twoServersSharingTheFileResumeEachOthersTicketsAndFollowRotation(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fleet.keys");
        TicketKeyFile.rotate(file, RANDOM);
        try (TicketKeys serverA = TicketKeyFile.watch(file); TicketKeys serverB = TicketKeyFile.watch(file)) {
            byte[] fromA = serverA.seal(STATE);
            assertArrayEquals(STATE, serverB.open(fromA));

            TicketKeyFile.rotate(file, RANDOM); // once: A's ticket still opens (previous key)
            Thread.sleep(1100);
            byte[] fromB = serverB.seal(STATE);
            assertNotNull(serverA.open(fromB));
            assertNotNull(serverA.open(fromA));

            TicketKeyFile.rotate(file, RANDOM); // twice: the first key is gone everywhere
            Thread.sleep(1100);
            assertNull(serverA.open(fromA));
            assertNull(serverB.open(fromA));

            Files.writeString(file, "garbage\n"); // a broken file keeps the keys in force
            Thread.sleep(1100);
            assertNotNull(serverB.open(serverA.seal(STATE)));
        }
    }

    private static byte[] encodedOf(TicketKey k) {
        return k.encode();
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-12-03T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
