//! Opening inputs: plain or gzip (by magic bytes, not extension), with a peekable head for format sniffing
//! and a count of decompressed bytes for throughput figures.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Chain, Cursor, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;

/// How many decompressed bytes are read ahead for format sniffing.
const SNIFF_BYTES: usize = 16 * 1024;
/// Read buffer size: large enough that quick-xml and the JSON line splitter rarely refill.
const BUFFER_BYTES: usize = 256 * 1024;

/// Errors opening an input before any record is read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot open: {0}")]
    Open(#[source] io::Error),
    #[error("cannot read the first bytes (truncated or corrupt gzip?): {0}")]
    Head(#[source] io::Error),
}

/// Counts the bytes that pass through a reader.
struct Counting<R> {
    inner: R,
    count: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// The decompressed stream: the sniffed head replayed, then the rest of the input.
type Stream = BufReader<Chain<Cursor<Vec<u8>>, Counting<Box<dyn Read>>>>;

/// An opened input: a buffered, decompressed byte stream whose first bytes can be inspected.
pub struct Input {
    head: Vec<u8>,
    head_error: Option<io::Error>,
    reader: Stream,
    count: std::rc::Rc<std::cell::Cell<u64>>,
    gzip: bool,
}

impl Input {
    /// Wraps any reader (used by tests and by in-memory callers such as `byline screen`).
    pub fn from_reader(reader: Box<dyn Read>) -> Input {
        let mut raw = BufReader::with_capacity(BUFFER_BYTES, reader);
        let gzip = matches!(raw.fill_buf(), Ok(b) if b.starts_with(&[0x1f, 0x8b]));
        let decoded: Box<dyn Read> = if gzip { Box::new(MultiGzDecoder::new(raw)) } else { Box::new(raw) };
        let count = std::rc::Rc::new(std::cell::Cell::new(0));
        let mut counting = Counting { inner: decoded, count: count.clone() };
        let mut head = Vec::with_capacity(SNIFF_BYTES);
        let head_error = (&mut counting).take(SNIFF_BYTES as u64).read_to_end(&mut head).err();
        let reader = BufReader::with_capacity(BUFFER_BYTES, Cursor::new(head.clone()).chain(counting));
        Input { head, head_error, reader, count, gzip }
    }

    /// The first decompressed bytes (up to 16 KiB), for sniffing. Fails if they could not be read.
    pub fn peek(&mut self) -> io::Result<&[u8]> {
        match self.head_error.take() {
            Some(e) if self.head.is_empty() => Err(e),
            Some(e) => {
                // Keep the error for the reader to hit again; sniff what we have.
                self.head_error = Some(e);
                Ok(&self.head)
            }
            None => Ok(&self.head),
        }
    }

    /// Decompressed bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.count.get()
    }

    /// Whether the input was gzip-compressed.
    pub fn is_gzip(&self) -> bool {
        self.gzip
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.reader.read(buf)
    }
}

impl BufRead for Input {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.reader.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.reader.consume(amt);
    }
}

/// Opens a file, decompressing gzip transparently (detected by its magic bytes).
pub fn open_input(path: &Path) -> Result<Input, InputError> {
    let file = File::open(path).map_err(InputError::Open)?;
    Ok(Input::from_reader(Box::new(file)))
}
