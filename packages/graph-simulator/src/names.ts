/** Word lists for a plausible directory. Invented names only. */
export const GIVEN_NAMES = [
  'Adele', 'Alex', 'Allan', 'Bianca', 'Cameron', 'Christie', 'Debra', 'Diego', 'Emily', 'Enrico', 'Gerhart', 'Grady',
  'Henrietta', 'Irvin', 'Isaiah', 'Johanna', 'Joni', 'Lee', 'Lidia', 'Lynne', 'Megan', 'Miriam', 'Nestor', 'Patti',
  'Pradeep', 'Raul', 'Sofia', 'Tomas', 'Uma', 'Valentina', 'Wei', 'Yara', 'Zoltan', 'Aiko', 'Bruno', 'Chloe',
] as const;

export const SURNAMES = [
  'Vance', 'Wilber', 'Deyoung', 'Pinchon', 'White', 'Cline', 'Berry', 'Sicilian', 'Braun', 'Mori', 'Moller', 'Archie',
  'Cueva', 'Sink', 'Langer', 'Lauer', 'Sherman', 'Gu', 'Holloway', 'Robbins', 'Bowen', 'Graham', 'Wilke', 'Fernandez',
  'Gupta', 'Razon', 'Ortega', 'Novak', 'Iyer', 'Rossi', 'Zhang', 'Haddad', 'Kovacs', 'Tanaka', 'Costa', 'Dubois',
] as const;

export const JOB_TITLES = [
  'Marketing Assistant', 'Retail Manager', 'Developer', 'IT Admin', 'Product Manager', 'Sales Representative',
  'Accountant', 'Support Engineer', 'Designer', 'Data Analyst', 'HR Manager', 'Security Analyst',
] as const;

export const DEPARTMENTS = ['Marketing', 'Retail', 'Engineering', 'IT', 'Sales', 'Finance', 'Operations', 'HR', 'Legal'] as const;

export const OFFICES = ['131/1104', '20/1101', '18/2111', '23/2102', '12/1110', '98/2202', '19/3123', '40/1050'] as const;

export const LANGUAGES = ['en-US', 'en-GB', 'de-DE', 'fr-FR', 'ja-JP', 'es-ES'] as const;

export const GROUP_NAMES = [
  'All Company', 'Sales and Marketing', 'Engineering', 'IT Helpdesk', 'Finance Team', 'Retail Stores', 'Leadership',
  'Project Falcon', 'Security Operations', 'HR Business Partners', 'Contoso Travel', 'Design Guild', 'Legal Review',
  'Mobile Developers', 'Data Platform', 'Customer Success', 'Interns', 'Facilities', 'Privileged Admins', 'Guests',
] as const;

/** Well-known directory role templates (their ids are the same in every tenant). */
export const DIRECTORY_ROLES: readonly { id: string; displayName: string }[] = [
  { id: '62e90394-69f5-4237-9190-012177145e10', displayName: 'Global Administrator' },
  { id: 'fe930be7-5e62-47db-91af-98c3a49a38b1', displayName: 'User Administrator' },
  { id: '729827e3-9c14-49f7-bb1b-9608f156bbb8', displayName: 'Helpdesk Administrator' },
  { id: '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', displayName: 'Application Administrator' },
  { id: '5d6b6bb7-de71-4623-b4af-96380a352509', displayName: 'Security Reader' },
  { id: '4a5d8f65-41da-4de4-8968-e035b65339cf', displayName: 'Reports Reader' },
  { id: 'fdd7a751-b60b-444a-984c-02652fe8fa1c', displayName: 'Groups Administrator' },
  { id: 'e8611ab8-c189-46e8-94e1-60213ab1f814', displayName: 'Privileged Role Administrator' },
];

/** First-party service principals that initiate directory changes on their own. */
export const SYSTEM_APPS: readonly { appId: string; displayName: string }[] = [
  { appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
  { appId: '0000000a-0000-0000-c000-000000000000', displayName: 'Microsoft Intune' },
  { appId: '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9', displayName: 'Device Registration Service' },
  { appId: '01fc33a7-78ba-4d2f-a4b7-768e336e890e', displayName: 'MS-PIM' },
  { appId: '14d82eec-204b-4c2f-b7e8-296a70dab67e', displayName: 'Microsoft Graph Command Line Tools' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' },
];

/** Applications users sign in to, with the resource they usually reach. */
export const SIGN_IN_APPS: readonly { appId: string; displayName: string; resourceId: string; resourceDisplayName: string; clientAppUsed: string }[] = [
  { appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264', displayName: 'Microsoft Teams', resourceId: '00000003-0000-0000-c000-000000000000', resourceDisplayName: 'Microsoft Graph', clientAppUsed: 'Mobile Apps and Desktop clients' },
  { appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online', resourceId: '00000002-0000-0ff1-ce00-000000000000', resourceDisplayName: 'Office 365 Exchange Online', clientAppUsed: 'Browser' },
  { appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal', resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013', resourceDisplayName: 'Windows Azure Service Management API', clientAppUsed: 'Browser' },
  { appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064', displayName: 'Graph Explorer', resourceId: '00000003-0000-0000-c000-000000000000', resourceDisplayName: 'Microsoft Graph', clientAppUsed: 'Browser' },
  { appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', displayName: 'Microsoft Office', resourceId: '00000003-0000-0ff1-ce00-000000000000', resourceDisplayName: 'Office 365 SharePoint Online', clientAppUsed: 'Mobile Apps and Desktop clients' },
  { appId: '4765445b-32c6-49b0-83e6-1d93765276ca', displayName: 'OfficeHome', resourceId: '4765445b-32c6-49b0-83e6-1d93765276ca', resourceDisplayName: 'OfficeHome', clientAppUsed: 'Browser' },
];

export const LOCATIONS: readonly { city: string; state: string; countryOrRegion: string; latitude: number; longitude: number; ipPrefix: string }[] = [
  { city: 'Redmond', state: 'Washington', countryOrRegion: 'US', latitude: 47.68050003051758, longitude: -122.12094116210938, ipPrefix: '131.107.' },
  { city: 'Dublin', state: 'Dublin', countryOrRegion: 'IE', latitude: 53.33330154418945, longitude: -6.248899936676025, ipPrefix: '52.169.' },
  { city: 'Paris', state: 'Paris', countryOrRegion: 'FR', latitude: 48.86000061035156, longitude: 2.3499999046325684, ipPrefix: '90.84.' },
  { city: 'Munich', state: 'Bayern', countryOrRegion: 'DE', latitude: 48.13999938964844, longitude: 11.579999923706055, ipPrefix: '84.150.' },
  { city: 'Tokyo', state: 'Tokyo', countryOrRegion: 'JP', latitude: 35.689998626708984, longitude: 139.69000244140625, ipPrefix: '133.242.' },
  { city: 'Sao Paulo', state: 'Sao Paulo', countryOrRegion: 'BR', latitude: -23.549999237060547, longitude: -46.63999938964844, ipPrefix: '177.71.' },
];

export const DEVICE_OS = [
  { operatingSystem: 'Windows 10', browser: 'Edge 120.0.0' },
  { operatingSystem: 'Windows', browser: 'Chrome 121.0.0' },
  { operatingSystem: 'MacOs', browser: 'Safari 17.2' },
  { operatingSystem: 'Ios', browser: 'Mobile Safari 17.2' },
  { operatingSystem: 'Android', browser: 'Chrome Mobile 120.0.0' },
  { operatingSystem: 'Linux', browser: 'Firefox 122.0' },
] as const;

export const CA_POLICIES = [
  'Require MFA for administrators', 'Block legacy authentication', 'Require compliant device for Office 365',
  'Medium sign-in risk requires MFA', 'Block access from untrusted countries',
] as const;
