package io.starconsole.protocol.session;

import io.starconsole.protocol.crypto.JediVersion;

/** Every {@link SessionTest} case for sessions of JEDI/2 (AES-256-GCM), which edges still accept. */
class Jedi2SessionTest extends SessionTest {

    @Override
    JediVersion version() {
        return JediVersion.JEDI_2;
    }
}
