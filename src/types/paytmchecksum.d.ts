// The maintained `paytmchecksum` package ships no types; these are the parts we use.
declare module 'paytmchecksum' {
  const PaytmChecksum: {
    iv: string;
    generateSignature(params: Record<string, string> | string, key: string): Promise<string>;
    verifySignature(params: Record<string, string> | string, key: string, checksum: string): boolean;
  };
  export default PaytmChecksum;
}
