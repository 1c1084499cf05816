//! The wire format's decoders on arbitrary bytes: never panic, and whatever decodes
//! re-encodes to the same bytes.
#![no_main]

use docsandbox_protocol::{Message, Request, FRAME_HEADER_LEN};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = Message::decode(data) {
        let frame = message.encode_frame();
        assert_eq!(&frame[FRAME_HEADER_LEN..], data);
    }
    if let Ok(request) = Request::decode(data) {
        assert_eq!(request.encode(), data);
    }
});
