import {
  Stack,
  Token,
  aws_apigateway as apigateway,
  aws_apigatewayv2 as apigwv2,
  aws_certificatemanager as acm,
  aws_route53 as route53,
  aws_route53_targets as targets,
} from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';
import { BasePathRegistry } from './base-paths';
import { httpApiL1, restApiL1, stageOfRestApi, urlOf, validateDomainInZone } from './common';
import { fail, validationMessage } from './errors';

// See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html ("To ensure that
// clients can access your API only by using a custom domain name with mutual TLS, disable the default
// execute-api endpoint") and https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mutual-tls.html.
const MTLS_DOC = 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html';

/** The L1 of a mapped API whose default endpoint this domain disables. */
type ApiL1 = apigateway.CfnRestApi | apigwv2.CfnApi;

/**
 * Options for mapping a REST API on a custom domain.
 */
export interface RestApiMappingOptions {
  /**
   * The path after the domain name that selects this API (`payments.example.com/<basePath>/…`).
   *
   * Letters, digits and `$-_.+!*'()`; regional domains also accept several levels separated by `/`
   * (`orders/v1`), edge-optimized ones do not. Unique per domain.
   *
   * @default - the API is mapped to the domain root (`payments.example.com/…`); requests that match no
   * other base path go to it.
   */
  readonly basePath?: string;

  /**
   * The stage that the mapping sends requests to.
   *
   * @default - the API's `deploymentStage`
   */
  readonly stage?: apigateway.IStage;
}

/**
 * Options for mapping an HTTP API on a custom domain.
 */
export interface HttpApiMappingOptions {
  /**
   * The path after the domain name that selects this API (`payments.example.com/<basePath>/…`).
   *
   * Letters, digits and `$-_.+!*'()`, with `/` between levels (`orders/v1`). Unique per domain.
   *
   * @default - the API is mapped to the domain root (`payments.example.com/…`); requests that match no
   * other base path go to it.
   */
  readonly basePath?: string;

  /**
   * The stage that the mapping sends requests to.
   *
   * @default - the API's `defaultStage` (`$default`)
   */
  readonly stage?: apigwv2.IHttpStage;
}

/**
 * Properties of a {@link RegionalCustomDomain}.
 */
export interface RegionalCustomDomainProps {
  /**
   * The custom domain name, e.g. `payments.example.com`. Lower case (API Gateway rejects upper case).
   */
  readonly domainName: string;

  /**
   * The Route 53 hosted zone that gets the A (and AAAA) alias records for `domainName`.
   *
   * Its name must be `domainName` or a parent domain of it. A public zone for callers on the internet and
   * in VPCs alike.
   */
  readonly hostedZone: route53.IHostedZone;

  /**
   * The ACM certificate for `domainName`, in the same region as the domain.
   *
   * @default - a new DNS-validated ACM certificate for `domainName`, validated in `hostedZone`
   */
  readonly certificate?: acm.ICertificateRef;

  /**
   * The TLS version and cipher suite of the domain.
   *
   * HTTP APIs can only be mapped to a domain with `TLS_1_2`, and multi-level base paths need TLS 1.2 or
   * newer; both are checked when the APIs are added.
   *
   * @default SecurityPolicy.TLS_1_2
   */
  readonly securityPolicy?: apigateway.SecurityPolicy;

  /**
   * The endpoint access mode; API Gateway requires one with the enhanced `SecurityPolicy_…` policies.
   *
   * @default - not set (the legacy `TLS_1_0` / `TLS_1_2` policies take none)
   */
  readonly endpointAccessMode?: apigateway.EndpointAccessMode;

  /**
   * Mutual TLS: the S3 trust store that client certificates are checked against.
   *
   * API Gateway enforces mutual TLS on the custom domain only: each API's default
   * `https://{api-id}.execute-api.{region}.amazonaws.com` endpoint would still answer without a client
   * certificate. So with `mtls` set, the domain disables the default endpoint of every API it maps (see
   * `disableDefaultEndpoints`).
   *
   * @default - no mutual TLS
   */
  readonly mtls?: apigateway.MTLSConfig;

  /**
   * Whether to disable the default `execute-api` endpoint of every API mapped on this domain, so that
   * clients can only call them through a custom domain.
   *
   * With `mtls`, this closes the way around mutual TLS. `addRestApi` / `addHttpApi` set
   * `DisableExecuteApiEndpoint: true` on the `AWS::ApiGateway::RestApi` / `AWS::ApiGatewayV2::Api` of each
   * API they map, when the API is defined in this app (in any stack). For a REST API, the latest deployment
   * is also renewed, because API Gateway applies the setting only when a stage is updated.
   *
   * The trade-off: the default endpoint then answers `403 Forbidden` on every stage of those APIs, so
   * callers, tests and tools that use `api.url` (or an HTTP API's `apiEndpoint`) must move to this domain's
   * `urlFor(basePath)`. Set `false` to keep the default endpoints open (this library's checks then report
   * `ApiReachability-MutualTlsDefaultEndpointOpen` for each mapped API while `mtls` is set).
   *
   * Where the domain cannot do it, `addRestApi` / `addHttpApi` throw rather than leave the door open:
   * `CannotDisableImportedApiEndpoint` for an imported API (`RestApi.fromRestApiId`,
   * `HttpApi.fromHttpApiAttributes`, …), and `DefaultEndpointExplicitlyEnabled` for an API created with
   * `disableExecuteApiEndpoint: false` (or whose OpenAPI definition says so). A value that is a token is left
   * to CloudFormation.
   *
   * @default - true when `mtls` is set, false otherwise
   */
  readonly disableDefaultEndpoints?: boolean;

  /**
   * The IP address types the domain answers: `IPV4`, or `DUAL_STACK` (IPv4 and IPv6).
   *
   * The AAAA alias record is published only for a dual-stack domain: an AAAA alias to an IPv4-only domain
   * has no address to answer with. Mind the APIs' resource policies: over IPv6, `aws:SourceIp` is an IPv6
   * address, so a policy that lists only IPv4 ranges denies those callers.
   *
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-custom-domain-ip-address-type.html
   * @default - `DUAL_STACK`, or what the deprecated `ipv6` says (`false`: `IPV4`)
   */
  readonly ipAddressType?: apigateway.IpAddressType;

  /**
   * Whether the domain also answers over IPv6.
   *
   * When true, the domain's IP address type is `dualstack` and an AAAA alias record is published next to
   * the A alias record.
   *
   * @deprecated use `ipAddressType` (`true` is `IpAddressType.DUAL_STACK`, `false` is `IpAddressType.IPV4`);
   * giving both with different meanings throws `IpAddressTypeConflict`.
   * @default true
   */
  readonly ipv6?: boolean;
}

/**
 * A regional custom domain name for public REST and HTTP APIs, published with Route 53 alias records.
 *
 * This is the fix for callers inside a VPC whose `execute-api` interface endpoint has private DNS on: that
 * VPC resolves every `*.execute-api.<region>.amazonaws.com` name to the endpoint, which only reaches private
 * APIs, so a public API called on its default hostname answers 403. Called on this domain instead
 * (`domain.urlFor('v1')`), Route 53 answers the A/AAAA alias with the API's own addresses, and the VPC's
 * private zone for `execute-api` never sees the name. A CNAME would not do: it sends the resolver on to
 * `d-….execute-api.<region>.amazonaws.com`, right into the private zone. This construct never creates one.
 *
 * Creates: an `AWS::ApiGateway::DomainName` (REGIONAL), an `AWS::ApiGatewayV2::ApiMapping` per mapped API,
 * an A alias record (and an AAAA alias record), and, unless given, an ACM certificate. With `mtls`, it also
 * disables the default `execute-api` endpoint of each API it maps (`DisableExecuteApiEndpoint: true`), so
 * that clients cannot go around mutual TLS; `disableDefaultEndpoints: false` keeps them open.
 *
 * @example
 * const domain = new RegionalCustomDomain(this, 'ApiDomain', {
 *   domainName: 'payments.example.com',
 *   hostedZone: zone,
 * });
 * domain.addRestApi(paymentsApi, { basePath: 'v1' });
 * domain.addHttpApi(ordersApi, { basePath: 'orders' });
 * fn.addEnvironment('PAYMENTS_URL', domain.urlFor('v1'));
 */
export class RegionalCustomDomain extends Construct {
  /**
   * The API Gateway domain name (REGIONAL).
   */
  public readonly domain: apigateway.IDomainName;

  /**
   * The custom domain name, e.g. `payments.example.com`, as a reference to the domain resource (so a
   * caller whose configuration uses it is deployed after the domain exists).
   */
  public readonly domainName: string;

  /**
   * The certificate the domain presents.
   */
  public readonly certificate: acm.ICertificateRef;

  /**
   * The Route 53 records that publish the domain: the A alias record, then the AAAA alias record when
   * the domain is dual-stack. Never a CNAME.
   */
  public get records(): route53.IRecordSet[] {
    return [...this.publishedRecords];
  }

  /**
   * The URL of the domain root, `https://<domainName>/`.
   */
  public readonly url: string;

  /**
   * The IP address types the domain answers (`ipv4` or `dualstack`).
   */
  public readonly ipAddressType: apigateway.IpAddressType;

  private readonly securityPolicy?: apigateway.SecurityPolicy;
  private readonly mtls: boolean;
  private readonly disableDefaultEndpoints: boolean;
  /** The mapped APIs whose default endpoint this domain disabled, re-checked at synthesis. */
  private readonly closedEndpoints: Array<{ readonly api: IConstruct; readonly cfn: ApiL1 }> = [];
  private readonly publishedRecords: route53.IRecordSet[] = [];
  private readonly basePaths: BasePathRegistry;

  constructor(scope: Construct, id: string, props: RegionalCustomDomainProps) {
    super(scope, id);
    this.basePaths = new BasePathRegistry(this, { allowMultiLevel: true, mapMethods: ['addRestApi', 'addHttpApi'] });

    validateDomainInZone(this, props.domainName, props.hostedZone);
    this.mtls = props.mtls !== undefined;
    this.disableDefaultEndpoints = props.disableDefaultEndpoints ?? this.mtls;
    this.node.addValidation({ validate: () => this.validateClosedEndpoints() });

    this.certificate =
      props.certificate ??
      new acm.Certificate(this, 'Certificate', {
        domainName: props.domainName,
        validation: acm.CertificateValidation.fromDns(props.hostedZone),
      });

    // TLS 1.2 unless told otherwise, written out rather than left to the service default: HTTP APIs can
    // only be mapped to TLS 1.2 domains, and multi-level base paths need TLS 1.2 or newer.
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
    this.securityPolicy = props.securityPolicy ?? apigateway.SecurityPolicy.TLS_1_2;

    const domain = new apigateway.DomainName(this, 'Resource', {
      domainName: props.domainName,
      certificate: this.certificate,
      endpointType: apigateway.EndpointType.REGIONAL,
      securityPolicy: this.securityPolicy,
      endpointAccessMode: props.endpointAccessMode,
      mtls: props.mtls,
    });
    this.domain = domain;
    this.domainName = domain.domainName;
    this.url = urlOf(this.domainName);

    const ipAddressType = this.resolveIpAddressType(props);
    this.ipAddressType = ipAddressType;
    const ipv6 = ipAddressType === apigateway.IpAddressType.DUAL_STACK;
    // The DomainName L2 has no ipAddressType prop; the L1 does. Written out either way: an AAAA alias only
    // gets answers when the domain is dualstack ("The default IP address type ... for public APIs is IPv4").
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-custom-domain-ip-address-type.html
    const cfn = domain.node.defaultChild;
    if (cfn && apigateway.CfnDomainName.isCfnDomainName(cfn)) {
      cfn.addPropertyOverride('EndpointConfiguration.IpAddressType', ipAddressType);
    }

    // Alias records, never a CNAME: see the class documentation.
    const target = route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain));
    this.publishedRecords.push(
      new route53.ARecord(this, 'AliasRecord', { zone: props.hostedZone, recordName: props.domainName, target }),
    );
    if (ipv6) {
      this.publishedRecords.push(
        new route53.AaaaRecord(this, 'AliasRecordIpv6', {
          zone: props.hostedZone,
          recordName: props.domainName,
          target,
        }),
      );
    }
  }

  /** `ipAddressType`, else the deprecated `ipv6`, else dual-stack; throws when the two disagree. */
  private resolveIpAddressType(props: RegionalCustomDomainProps): apigateway.IpAddressType {
    const fromIpv6 =
      props.ipv6 === undefined
        ? undefined
        : props.ipv6
          ? apigateway.IpAddressType.DUAL_STACK
          : apigateway.IpAddressType.IPV4;
    if (props.ipAddressType !== undefined && fromIpv6 !== undefined && props.ipAddressType !== fromIpv6) {
      fail(this, {
        code: 'IpAddressTypeConflict',
        message: `ipAddressType is '${props.ipAddressType}' but the deprecated ipv6 is ${props.ipv6}, which means '${fromIpv6}'.`,
        fix: 'Remove `ipv6` and keep only `ipAddressType`.',
        see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-custom-domain-ip-address-type.html',
      });
    }
    return props.ipAddressType ?? fromIpv6 ?? apigateway.IpAddressType.DUAL_STACK;
  }

  /**
   * Maps a stage of a REST API on this domain.
   *
   * Uses an `AWS::ApiGatewayV2::ApiMapping` (not the v1 `BasePathMapping`): API Gateway lets REST and HTTP
   * APIs share a regional domain through the V2 mappings, and only they take multi-level base paths.
   *
   * With `mtls` (or `disableDefaultEndpoints: true`), also disables the API's default `execute-api` endpoint;
   * throws `CannotDisableImportedApiEndpoint` for an imported API and `DefaultEndpointExplicitlyEnabled` for
   * an API created with `disableExecuteApiEndpoint: false`.
   *
   * @param api the REST API
   * @param options the base path and stage
   * @returns the API mapping
   */
  public addRestApi(api: apigateway.IRestApi, options: RestApiMappingOptions = {}): apigwv2.CfnApiMapping {
    const stage = stageOfRestApi(this, api, options.stage);
    if (this.disableDefaultEndpoints) {
      // A new deployment: API Gateway applies DisableExecuteApiEndpoint only when a stage is updated.
      // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
      this.closeDefaultEndpoint(api, restApiL1(api), () =>
        api.latestDeployment?.addToLogicalId({ disableExecuteApiEndpoint: true }),
      );
    }
    return this.addMapping(api, api.restApiId, stage, options.basePath);
  }

  /**
   * Maps a stage of an HTTP API on this domain.
   *
   * With `mtls` (or `disableDefaultEndpoints: true`), also disables the API's default `execute-api` endpoint;
   * throws `CannotDisableImportedApiEndpoint` for an imported API and `DefaultEndpointExplicitlyEnabled` for
   * an API created with `disableExecuteApiEndpoint: false`.
   *
   * @param api the HTTP API
   * @param options the base path and stage
   * @returns the API mapping
   */
  public addHttpApi(api: apigwv2.IHttpApi, options: HttpApiMappingOptions = {}): apigwv2.CfnApiMapping {
    const stage = options.stage ?? api.defaultStage;
    if (!stage) {
      fail(this, {
        code: 'StageRequired',
        message: `HTTP API '${api.node.path}' has no default stage.`,
        fix: 'Pass `stage` in the options, or create the API with `createDefaultStage: true` (its default).',
      });
    }
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-custom-domain-names.html
    // ("For the minimum TLS version, only TLS 1.2 is supported") and
    // https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
    // ("You can't map an HTTP API to a domain name that uses an enhanced security policy").
    const policy = this.securityPolicy;
    if (policy !== undefined && !Token.isUnresolved(policy) && policy !== apigateway.SecurityPolicy.TLS_1_2) {
      fail(this, {
        code: 'SecurityPolicyRejectsHttpApi',
        message: `HTTP API '${api.node.path}' cannot be mapped on a domain with security policy '${policy}'.`,
        fix: 'Use `securityPolicy: SecurityPolicy.TLS_1_2` (the default), or put the HTTP API on its own domain.',
        see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html',
      });
    }
    if (this.disableDefaultEndpoints) {
      this.closeDefaultEndpoint(api, httpApiL1(api));
    }
    return this.addMapping(api, api.apiId, stage, options.basePath);
  }

  /**
   * The URL that callers should use for the API mapped at `basePath`: `https://<domainName>/<basePath>/`.
   *
   * Use it instead of the API's own `url`. Synthesis fails when no API is mapped at `basePath` by then.
   *
   * @param basePath the base path given to `addRestApi` / `addHttpApi`
   */
  public urlFor(basePath: string): string {
    return this.basePaths.urlFor(this.domainName, basePath);
  }

  /**
   * Disables the default endpoint of a mapped API, or throws where that cannot be done.
   *
   * Imported APIs are an error rather than a warning: with `mtls`, leaving the endpoint open is the very
   * bypass this domain promises to close, and a warning is easy to miss; `disableDefaultEndpoints: false`
   * is the explicit way to say that the API's endpoint is taken care of elsewhere.
   */
  private closeDefaultEndpoint(api: IConstruct, cfn: ApiL1 | undefined, onDisabled?: () => void): void {
    if (!cfn) {
      fail(this, {
        code: 'CannotDisableImportedApiEndpoint',
        message: `API '${api.node.path}' is imported, so this domain cannot disable its default execute-api endpoint, where ${this.bypass()}.`,
        fix:
          'Disable the default endpoint in the app that defines the API (`disableExecuteApiEndpoint: true`), then create this ' +
          'domain with `disableDefaultEndpoints: false` (and disable the default endpoint of the APIs of this app that you map here yourself).',
        see: this.mtls ? MTLS_DOC : undefined,
      });
    }
    const current: unknown = cfn.disableExecuteApiEndpoint;
    if (current === false || (current === undefined && endpointEnabledInBody(cfn))) {
      fail(this, this.explicitlyEnabled(api));
    }
    if (current === undefined) {
      cfn.disableExecuteApiEndpoint = true;
      onDisabled?.();
    }
    // true: already disabled. A token: CloudFormation decides (never validated, like every token).
    this.closedEndpoints.push({ api, cfn });
  }

  /** Catches an API whose default endpoint was enabled again after it was mapped here. */
  private validateClosedEndpoints(): string[] {
    return this.closedEndpoints
      .filter(({ cfn }) => cfn.disableExecuteApiEndpoint === false)
      .map(({ api }) => validationMessage(this.explicitlyEnabled(api)));
  }

  private explicitlyEnabled(api: IConstruct) {
    const why = this.mtls ? 'requires mutual TLS' : 'has `disableDefaultEndpoints: true`';
    return {
      code: 'DefaultEndpointExplicitlyEnabled',
      message: `API '${api.node.path}' keeps its default execute-api endpoint enabled on purpose (\`disableExecuteApiEndpoint: false\`), but this domain ${why} and disables the default execute-api endpoint of the APIs it maps, where ${this.bypass()}.`,
      fix:
        'Remove `disableExecuteApiEndpoint: false` from the API (the domain then disables its default endpoint), or create the ' +
        'domain with `disableDefaultEndpoints: false` to keep the default endpoints open on purpose.',
      see: this.mtls ? MTLS_DOC : undefined,
    };
  }

  private bypass(): string {
    return this.mtls
      ? 'clients can call the API without a client certificate, going around mutual TLS'
      : 'clients can call the API without going through this domain';
  }

  private addMapping(
    api: IConstruct,
    apiId: string,
    stage: IConstruct & { readonly stageName: string },
    basePath: string | undefined,
  ): apigwv2.CfnApiMapping {
    const multiLevel = this.basePaths.validate(basePath);
    const policy = this.securityPolicy;
    // See: https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html
    // ("For a Regional custom domain names with the TLS 1.2 security policy, API Gateway supports multi-level API mappings").
    if (multiLevel && policy === apigateway.SecurityPolicy.TLS_1_0) {
      fail(this, {
        code: 'MultiLevelBasePathNeedsTls12',
        message: `base path '${basePath}' has several levels, which a domain with security policy TLS_1_0 does not support.`,
        fix: 'Use `securityPolicy: SecurityPolicy.TLS_1_2` (the default), or a single-level base path.',
        see: 'https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html',
      });
    }

    const mapping = new apigwv2.CfnApiMapping(this, this.basePaths.claim(basePath, api, stage), {
      apiId,
      domainName: this.domainName,
      stage: stage.stageName,
      apiMappingKey: basePath,
    });
    // The stage must exist before the mapping points at it (aws-cdk's ApiMapping does the same).
    mapping.node.addDependency(stage);
    return mapping;
  }
}

/**
 * Whether an inline OpenAPI definition says `disableExecuteApiEndpoint: false` in its
 * `x-amazon-apigateway-endpoint-configuration` (at the top level, or on a server of an OpenAPI 3 definition).
 *
 * See: https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-endpoint-configuration.html
 */
function endpointEnabledInBody(cfn: ApiL1): boolean {
  const body: unknown = cfn.body === undefined ? undefined : Stack.of(cfn).resolve(cfn.body);
  if (typeof body !== 'object' || body === null) {
    return false;
  }
  const servers = (body as { servers?: unknown }).servers;
  const holders: unknown[] = [body, ...(Array.isArray(servers) ? servers : [])];
  return holders.some((holder) => {
    const config =
      typeof holder === 'object' && holder !== null
        ? (holder as Record<string, unknown>)['x-amazon-apigateway-endpoint-configuration']
        : undefined;
    return (
      typeof config === 'object' &&
      config !== null &&
      (config as { disableExecuteApiEndpoint?: unknown }).disableExecuteApiEndpoint === false
    );
  });
}
