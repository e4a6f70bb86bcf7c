// Types of the tunnel and registration API (backend/tunnel, backend/registration), generated
// from the Go types (api.gen.ts).
import type { RegisterStep, TunnelStart, TunnelStatus } from './api.gen';

export type {
  LiveChatRegisterRequest,
  LiveChatRegisterResult,
  MarkRegisteredRequest,
  RegisterStep,
  Registration,
  RegistrationHelp,
  RegistrationStep,
  TunnelStart,
  TunnelStatus,
} from './api.gen';

export type TunnelProvider = TunnelStart['provider'];
export type TunnelHealth = TunnelStatus['health'];
export type TunnelState = TunnelStatus['state'];
export type RegisterOutcome = RegisterStep['outcome'];
