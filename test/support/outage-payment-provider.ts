// The real sandbox payment provider, made unreachable on demand (a processor outage): while `outage.down`,
// every money movement fails as a connection error would; one switch can be shared by several replicas.
import type {
  AuthoriseRequest,
  AuthoriseResult,
  CaptureRequest,
  CaptureResult,
  ChargeRequest,
  ChargeResult,
  PaymentProvider,
  RefundRequest,
  RefundResult,
  VoidRequest,
  VoidResult,
} from '../../cloud/billing/payment-provider.ts';
import type { SandboxPaymentProvider } from '../../cloud/billing/sandbox-payment-provider.ts';

export interface OutageSwitch {
  down: boolean;
}

export class OutageProvider implements PaymentProvider {
  constructor(
    private readonly sandbox: SandboxPaymentProvider,
    private readonly outage: OutageSwitch,
  ) {}

  private reachable<T>(step: () => Promise<T>): Promise<T> {
    if (this.outage.down) return Promise.reject(new Error('connect ECONNREFUSED payment provider'));
    return step();
  }

  attachCard(cardToken: string) {
    return this.sandbox.attachCard(cardToken);
  }
  charge(request: ChargeRequest): Promise<ChargeResult> {
    return this.reachable(() => this.sandbox.charge(request));
  }
  refund(request: RefundRequest): Promise<RefundResult> {
    return this.sandbox.refund(request);
  }
  authorise(request: AuthoriseRequest): Promise<AuthoriseResult> {
    return this.reachable(() => this.sandbox.authorise(request));
  }
  capture(request: CaptureRequest): Promise<CaptureResult> {
    return this.reachable(() => this.sandbox.capture(request));
  }
  void(request: VoidRequest): Promise<VoidResult> {
    return this.reachable(() => this.sandbox.void(request));
  }
}
