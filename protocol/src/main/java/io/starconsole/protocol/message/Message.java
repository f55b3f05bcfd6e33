package io.starconsole.protocol.message;

import io.starconsole.protocol.codec.ByteWriter;

/** A JEDI/2 message: its type byte is written by {@link MessageCodec}, its body by {@link #encodeTo}. */
public sealed interface Message
        permits Hello, Ping, Pong, Ok, Nok, Bye, Reconnect, SndSpnInfo, AskSpnInfo, AnsSpnInfo, SndUserCmd,
                AskUserCmd, AnsUserCmd, OkNewIp, CancelIp, CommandResult, WakeUp, OtaStatus {

    MessageType type();

    /** Writes the body (everything after the type byte). */
    void encodeTo(ByteWriter writer);
}
