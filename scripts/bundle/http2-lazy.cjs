// node:http2 as undici's HTTP/2 client sees it, loaded only when a session is opened. undici
// requires node:http2 (and through it node:tls) when it loads, for constants it reads at once:
// about 20 ms of every start of the bundled executor, which never speaks HTTP/2 (undici's
// allowH2 is off). The constants are the protocol's (RFC 9113); a test compares them with Node's.
'use strict';

const constants = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_NO_ERROR: 0,
  NGHTTP2_PROTOCOL_ERROR: 1,
  NGHTTP2_REFUSED_STREAM: 7,
};

module.exports = {
  constants,
  connect: (...args) => require('node:http2').connect(...args),
};
