import { isHttpsOrLoopback, isLoopbackHost } from '../src';

test('loopback is 127.0.0.0/8, ::1 and localhost; nothing else', () => {
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '::1', '[::1]']) expect(isLoopbackHost(h)).toBe(true);
  for (const h of ['0.0.0.0', '10.0.0.1', '::', 'localhost.example.com', '127.0.0.1.nip.io', 'siem.example']) expect(isLoopbackHost(h)).toBe(false);
});

test('https anywhere, plain http only to loopback', () => {
  expect(isHttpsOrLoopback('https://siem.example/ingest')).toBe(true);
  expect(isHttpsOrLoopback('http://127.0.0.1:8088/services/collector')).toBe(true);
  expect(isHttpsOrLoopback('http://[::1]:9000/')).toBe(true);
  expect(isHttpsOrLoopback('http://siem.example/ingest')).toBe(false);
  expect(isHttpsOrLoopback('http://127.0.0.1.nip.io/')).toBe(false);
  expect(isHttpsOrLoopback('ftp://127.0.0.1/')).toBe(false);
});
