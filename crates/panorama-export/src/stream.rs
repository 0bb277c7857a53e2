//! A blocking writer whose bytes come out of an async channel in chunks: the export writes into it
//! on its thread, and an HTTP response body reads the chunks as they come. The channel is bounded,
//! so a slow client slows the export instead of filling memory.

use std::io::{self, Write};
use tokio::sync::mpsc::{Receiver, Sender, channel};

/// Bytes gathered before a chunk is sent.
pub const STREAM_CHUNK_BYTES: usize = 64 * 1024;
/// Chunks waiting for the client before the writer blocks.
pub const STREAM_CHUNKS_AHEAD: usize = 4;

/// One chunk of the body, or the error that ends it.
pub type Chunk = io::Result<Vec<u8>>;

/// A writer feeding a channel of chunks; flushing sends what is gathered.
pub struct ChannelWriter {
    sender: Sender<Chunk>,
    buffer: Vec<u8>,
}

/// A writer and the receiving end of its chunks.
pub fn channel_writer() -> (ChannelWriter, Receiver<Chunk>) {
    let (sender, receiver) = channel(STREAM_CHUNKS_AHEAD);
    (
        ChannelWriter {
            sender,
            buffer: Vec::with_capacity(STREAM_CHUNK_BYTES),
        },
        receiver,
    )
}

impl ChannelWriter {
    /// Another sender into the same channel, to end the body with an error if the export fails.
    pub fn sender(&self) -> Sender<Chunk> {
        self.sender.clone()
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(STREAM_CHUNK_BYTES));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= STREAM_CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
