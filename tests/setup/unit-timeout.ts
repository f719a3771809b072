// Unit tests that start a loopback server or compile schemas get slow when the machine is busy (CI runs three
// suites at a time on two cores): a generous ceiling, so only a real hang fails.
jest.setTimeout(30_000);
