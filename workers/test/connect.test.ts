import { connectRetryDelayMs, transportReason } from '../src/connect';

test('the wait between attempts doubles from 1 s and stays at 30 s', () => {
  expect([0, 1, 2, 3, 4, 5, 6, 20].map(connectRetryDelayMs)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
});

test("the SDK's transport errors read as the reason a person needs", () => {
  expect(transportReason('tonic::transport::Error(Transport, ConnectError(ConnectError("tcp connect error", 127.0.0.1:1, Os { code: 111, kind: ConnectionRefused, message: "Connection refused" })))'))
    .toBe('tcp connect error: Connection refused');
  expect(transportReason('tonic::transport::Error(Transport, ConnectError(ConnectError("dns error", Custom { kind: Uncategorized, error: "failed to lookup address information: Name or service not known" })))'))
    .toBe('dns error: failed to lookup address information: Name or service not known');
  expect(transportReason('something else')).toBe('something else');
});
