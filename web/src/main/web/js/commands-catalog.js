// The seed's twelve user commands (numbers from skywalker/list.go), each with the form fields of
// its argument and the check done before sending. The API checks again; this only saves a trip.
const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;
const GROUP = /^[A-Za-z0-9._-]{1,64}$/;
const NO_SEPARATOR = /^[^|]+$/;

function port(value) {
  return /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535;
}

function cidr(value) {
  const [ip, bits, extra] = value.split("/");
  return extra === undefined && IPV4.test(ip || "") && /^\d{1,2}$/.test(bits || "") && Number(bits) <= 32;
}

function hostPort(value) {
  const at = value.lastIndexOf(":");
  if (at <= 0) return false;
  const host = value.slice(0, at);
  return (IPV4.test(host) || HOSTNAME.test(host)) && port(value.slice(at + 1));
}

function mask(value) {
  if (!IPV4.test(value)) return false;
  const bits = value.split(".").map(Number).reduce((n, octet) => n * 256 + octet, 0);
  const inverted = (~bits >>> 0) + 1;
  return (inverted & (inverted - 1)) === 0;
}

const now = { name: "confirm", label: "Argument", fixed: "now" };

const l3Tunnel = [
  { name: "pubkey", label: "Peer public key", check: (v) => KEY.test(v), hint: "44-character base64 WireGuard key" },
  { name: "allowed", label: "Allowed IPs", check: (v) => v.split(",").every((c) => cidr(c.trim())), hint: "CIDR list, e.g. 10.1.2.1/32,10.1.3.0/24" },
  { name: "endpoint", label: "Endpoint", check: hostPort, hint: "host:port" },
  { name: "keepalive", label: "Persistent keepalive (s)", check: (v) => /^\d{1,5}$/.test(v) && Number(v) <= 65535, hint: "0..65535" },
];
const l3Arguments = (v) => `${v.pubkey}|allowed-ips|${v.allowed.split(",").map((c) => c.trim()).join(",")}|endpoint|${v.endpoint}|persistent-keepalive|${v.keepalive}`;

const p2pTunnel = [
  { name: "groupname", label: "Group name", check: (v) => GROUP.test(v), hint: "letters, digits, . _ -" },
  { name: "vip", label: "Virtual IP", check: (v) => IPV4.test(v), hint: "IPv4 address" },
  { name: "lport", label: "Local port", check: port, hint: "1..65535" },
  { name: "ekey", label: "Encryption key", check: (v) => NO_SEPARATOR.test(v) && v.length <= 128, hint: "no |", secret: true },
  { name: "server", label: "Server", check: hostPort, hint: "host:port" },
];
const p2pArguments = (v) => `groupname|${v.groupname}|vip|${v.vip}|lport|${v.lport}|ekey|${v.ekey}|server|${v.server}`;

export const COMMANDS = [
  { code: 100, type: "CHANGE_SPNBOX_NAME", title: "Rename the box",
    fields: [{ name: "hostname", label: "New hostname", check: (v) => HOSTNAME.test(v), hint: "RFC 1123 host name, e.g. gateway-3" }],
    toArguments: (v) => v.hostname },
  { code: 101, type: "CHANGE_ADMIN_PASSWORD", title: "Change the box's admin password",
    fields: [{ name: "password", label: "New admin password", check: (v) => v.length >= 8 && v.length <= 128, hint: "8..128 characters; never shown again", secret: true }],
    toArguments: (v) => v.password },
  { code: 102, type: "REBOOT_SPNBOX", title: "Reboot", fields: [now], toArguments: () => "now", confirm: "Reboot this box now? Its tunnels drop until it is back." },
  { code: 103, type: "GOTO_FACTORY_DEFAULT_STATE", title: "Factory reset", fields: [now], toArguments: () => "now", confirm: "Reset this box to its factory state? Its configuration is erased." },
  { code: 104, type: "CHANGE_L3_SPN_IP_ADDRESS", title: "Change the SPN IP address",
    fields: [
      { name: "ip", label: "New SPN IP", check: (v) => IPV4.test(v), hint: "IPv4 address" },
      { name: "mask", label: "Subnet mask", check: mask, hint: "e.g. 255.255.255.0" },
    ],
    toArguments: (v) => `${v.ip}|${v.mask}` },
  { code: 105, type: "CHANGE_L3_SPN_LISTEN_PORT", title: "Change the SPN listen port",
    fields: [{ name: "port", label: "New listen port", check: port, hint: "1..65535" }], toArguments: (v) => v.port },
  { code: 106, type: "ADD_L3_SPN_TUNNEL", title: "Add an L3 SPN tunnel", fields: l3Tunnel, toArguments: l3Arguments },
  { code: 107, type: "REMOVE_L3_SPN_TUNNEL", title: "Remove an L3 SPN tunnel", fields: l3Tunnel, toArguments: l3Arguments },
  { code: 108, type: "REGENERATE_L3_SPN_KEY", title: "Regenerate the SPN key", fields: [now], toArguments: () => "now",
    confirm: "Regenerate this box's key? Its peers must learn the new key." },
  { code: 109, type: "ADD_P2P_SPN_TUNNEL", title: "Add a P2P SPN tunnel", fields: p2pTunnel, toArguments: p2pArguments },
  { code: 110, type: "REMOVE_P2P_SPN_TUNNEL", title: "Remove a P2P SPN tunnel", fields: p2pTunnel, toArguments: p2pArguments },
  { code: 111, type: "FLUSH_USER_CMDS", title: "Flush queued commands", fields: [now], toArguments: () => "now" },
];

export function commandByType(type) {
  return COMMANDS.find((c) => c.type === type);
}

/** Field errors of a filled-in command: {fieldName: hint} (empty when valid). */
export function validate(command, values) {
  const errors = {};
  for (const field of command.fields) {
    if (field.fixed) continue;
    const value = (values[field.name] || "").trim();
    if (!value) errors[field.name] = `${field.label} is required`;
    else if (!field.check(value)) errors[field.name] = `${field.label}: ${field.hint}`;
  }
  return errors;
}
