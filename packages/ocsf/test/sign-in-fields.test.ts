import { mapRecord } from '../src';
import { expectValid, recordsOf } from './helpers';

/** The sign-in variants (fixtures/corpus/signIns-variants.json), one per case the mapping tells apart. */
const ctx = { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' };
const variants = recordsOf('corpus/signIns-variants.json');
const mapped = (i: number): Record<string, any> => {
  const e = mapRecord('signIns', variants[i], ctx) as Record<string, any>;
  expectValid(e);
  return e;
};

describe('MFA from every place Graph records it', () => {
  test('authenticationDetails: password then push, MFA required → is_mfa, both factors by their OCSF captions', () => {
    const e = mapped(0);
    expect(e.is_mfa).toBe(true);
    expect(e.auth_factors).toEqual([{ factor_type_id: 11, factor_type: 'Password' }, { factor_type_id: 5, factor_type: 'Push Notification' }]);
    expect(e.unmapped.authenticationDetails[1].authenticationMethod).toBe('Mobile app notification'); // Graph's word kept
  });

  test('mfaDetail (v1.0) alone', () => {
    expect([mapped(1).is_mfa, mapped(1).auth_factors]).toEqual([true, [{ factor_type_id: 5, factor_type: 'Push Notification' }]]);
  });

  test('authenticationMethodsUsed with a previously satisfied claim', () => {
    const e = mapped(2);
    expect(e.is_mfa).toBe(true);
    expect(e.auth_factors.map((f: any) => f.factor_type_id)).toEqual([11, 5]);
    expect(e.status_detail).toBe('MFA requirement satisfied by claim in the token');
  });

  test('a passkey (FIDO2) alone is multifactor; a password alone with a single-factor requirement is not', () => {
    expect([mapped(6).is_mfa, mapped(6).auth_factors]).toEqual([true, [{ factor_type_id: 10, factor_type: 'WebAuthn' }]]);
    expect(mapped(5).is_mfa).toBe(false);
  });

  test('a failed second factor: the factors listed, MFA not claimed', () => {
    const e = mapped(7);
    expect(e.auth_factors.map((f: any) => f.factor_type)).toEqual(['Password', 'OTP']);
    expect(e.is_mfa).toBeUndefined();
    expect([e.status_id, e.status_code, e.status_detail]).toEqual([2, '500121', 'Authentication failed during strong authentication request.']);
    expect(e.unmapped.statusAdditionalDetails).toBe("The user didn't complete the MFA prompt.");
  });
});

describe('who signed in: logon type and actor', () => {
  test.each([
    [0, 2, 'Interactive', 1, 'User'],
    [2, 99, 'Non-interactive user', 1, 'User'],
    [3, 99, 'Service principal', 4, 'Service'],
    [4, 99, 'Managed identity', 4, 'Service'],
  ])('variant %i → logon_type %i %s, identity type %i %s', (i, logonTypeId, logonType, typeId, type) => {
    const e = mapped(i);
    expect([e.logon_type_id, e.logon_type]).toEqual([logonTypeId, logonType]);
    expect([e.user.type_id, e.user.type]).toEqual([typeId, type]);
    expect(e.actor.user).toEqual({ uid: e.user.uid, name: e.user.name, type_id: typeId, type });
    expect([e.actor.app_name, e.actor.app_uid]).toEqual([variants[i].appDisplayName, variants[i].appId]);
  });

  test('a guest is an OCSF User; Graph\'s userType stays in unmapped', () => {
    expect([mapped(0).user.type, mapped(0).unmapped.userType]).toEqual(['User', 'guest']);
  });

  test('the service principal signing in, its credential kept', () => {
    const e = mapped(3);
    expect(e.user).toMatchObject({ uid: '4b3a2918-0004-4c5d-8e6f-000000000004', name: 'Payroll Connector' });
    expect(e.unmapped.servicePrincipalCredentialKeyId).toBe('6a5b4c3d-0004-4e2f-8a1b-000000000004');
    expect(mapped(4).unmapped.managedServiceIdentity.msiType).toBe('systemAssigned');
  });
});

describe('Conditional Access, risk, session, device, place', () => {
  test('CA success / failure / not applied / a value Graph added later', () => {
    expect([mapped(0).action, mapped(0).disposition]).toEqual(['Allowed', 'Allowed']);
    const blocked = mapped(5);
    expect([blocked.action_id, blocked.disposition_id, blocked.status_code]).toEqual([2, 2, '53003']);
    expect(blocked.policy).toMatchObject({ name: 'Block unmanaged mobile devices', is_applied: true, data: { enforcedGrantControls: ['Block'] } });
    expect(blocked.authorizations.map((a: any) => a.decision)).toEqual(['failure', 'notApplied']);
    expect([mapped(2).action, mapped(2).disposition]).toEqual(['Observed', 'No Action']);
    expect([mapped(7).action_id, mapped(7).disposition_id, mapped(7).unmapped.conditionalAccessStatus]).toEqual([0, 0, 'unknownFutureValue']);
  });

  test('risk: level, alert while at risk, the risk event types kept', () => {
    const e = mapped(6);
    expect([e.risk_level_id, e.risk_level, e.severity_id, e.is_alert]).toEqual([3, 'High', 4, true]);
    expect(e.unmapped.riskEventTypes_v2).toEqual(['unfamiliarFeatures', 'anonymizedIPAddress']);
    expect(mapped(0).is_alert).toBe(false);
  });

  test('session: Graph\'s sessionId, the issuer, MFA', () => {
    expect(mapped(0).session).toEqual({ uid: '9b8a7c6d-0001-4e5f-a1b2-000000000001', issuer: 'AzureAD', is_mfa: true });
  });

  test('device and location; a managed identity has neither IP nor device', () => {
    const e = mapped(1);
    expect(e.device).toEqual({
      type_id: 0, type: 'Unknown', ip: '198.51.100.7', uid: '3c4d5e6f-0002-4a1b-8c9d-000000000002', name: 'LAPTOP-TB01',
      os: { name: 'Windows 11', type_id: 100 }, is_compliant: true, is_managed: true,
    });
    expect(e.metadata.profiles).toEqual(['cloud', 'host', 'security_control']);
    expect(e.unmapped.deviceDetail).toEqual({ browser: 'Edge 122.0', trustType: 'Azure AD joined' }); // the rest is in device
    expect(e.src_endpoint).toEqual({ ip: '198.51.100.7', location: { city: 'Stockholm', region: 'Stockholms Lan', country: 'SE', lat: 59.33, long: 18.07 } });
    const mi = mapped(4);
    expect([mi.src_endpoint, mi.device, mi.metadata.profiles]).toEqual([undefined, undefined, ['cloud', 'security_control']]);
  });

  test('timezone_offset from the time Graph wrote; observables for the user, the IP and the resources', () => {
    expect(mapped(7).timezone_offset).toBe(0); // "+00:00"
    expect(mapped(5).observables.map((o: any) => [o.name, o.value])).toEqual([
      ['user.name', 'ana.silva@contoso.com'], ['user.uid', '7d0e2f4a-1111-4a2b-9c3d-000000000006'],
      ['src_endpoint.ip', '2001:db8:85a3::8a2e:370:7334'], ['dst_endpoint.uid', '00000003-0000-0ff1-ce00-000000000000'],
    ]);
  });
});
